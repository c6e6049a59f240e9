import type { Admin } from 'kafkajs';

/** End offsets (high watermarks) of a set of partitions, by `topic:partition`. */
export type TopicEnds = ReadonlyMap<string, number>;

/**
 * Whether the service's consumer has read everything that was on its topics at some moment. The relay
 * asks before it resends: an event acknowledged before the snapshot lies below the snapshot's ends, so
 * once the group's committed offsets pass them, an event still not seen back was really lost. A
 * consumer that is merely behind (a replay, the minute after a broker died) is not mistaken for a loss,
 * and its backlog is not made longer by copies of events it has not read yet.
 */
export interface ReadPastProbe {
  snapshot(): Promise<TopicEnds>;
  readPast(ends: TopicEnds): Promise<boolean>;
}

const partitionKey = (topic: string, partition: number) => `${topic}:${partition}`;

export function adminReadPastProbe(admin: Admin, groupId: string, topics: readonly string[]): ReadPastProbe {
  return {
    async snapshot() {
      const ends = new Map<string, number>();
      for (const topic of topics)
        for (const partition of await admin.fetchTopicOffsets(topic))
          // An empty partition (high = low) holds nothing the consumer could have to read.
          if (Number(partition.high) > Number(partition.low))
            ends.set(partitionKey(topic, partition.partition), Number(partition.high));
      return ends;
    },
    async readPast(ends) {
      if (ends.size === 0) return true;
      const committed = new Map<string, number>();
      let offsets;
      try {
        offsets = await admin.fetchOffsets({ groupId, topics: [...topics] });
      } catch (error) {
        // The group's coordinator is moving (a broker died, or __consumer_offsets is still being
        // created): no answer yet, which is not "read past". Anything else, e.g. a missing ACL, is raised.
        if ((error as { retriable?: boolean }).retriable === true) return false;
        throw error;
      }
      for (const { topic, partitions } of offsets)
        for (const { partition, offset } of partitions)
          committed.set(partitionKey(topic, partition), Number(offset));
      for (const [partition, end] of ends) if ((committed.get(partition) ?? -1) < end) return false;
      return true;
    },
  };
}
