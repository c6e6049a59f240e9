import type { EventCodec, PassportEvent } from '@passport/events';
import { decodeMessage, readRange, resolveSpans, type TopicNames } from '@passport/streams';
import type { Kafka } from 'kafkajs';
import type { Kpis } from './kpis';
import { projectKpis } from './project';

export interface FeedProgress {
  topic: string;
  read: number;
}

/**
 * Reads every event topic from offset zero (the low watermark) up to the high watermark of now and
 * projects the KPIs. Poison messages are skipped: the agencies dead-lettered them too.
 */
export async function kpisFromTopics(
  kafka: Kafka,
  codec: EventCodec,
  topics: TopicNames,
  options: { agencies?: readonly string[]; onProgress?: (progress: FeedProgress) => void } = {},
): Promise<Kpis> {
  const events: PassportEvent[] = [];
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics.events) {
      const spans = await resolveSpans(admin, topic);
      let read = 0;
      await readRange(
        kafka,
        topic,
        spans,
        async (message) => {
          const decoded = await decodeMessage(codec, topics.logical(topic), message);
          if (decoded.event) events.push(decoded.event);
          read += 1;
          if (read % 500 === 0) options.onProgress?.({ topic, read });
        },
        { groupPrefix: 'passport-kpis' },
      );
      options.onProgress?.({ topic, read });
    }
  } finally {
    await admin.disconnect();
  }
  return projectKpis(events, options.agencies);
}
