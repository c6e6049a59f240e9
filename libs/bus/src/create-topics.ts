import type { Admin, ITopicConfig } from 'kafkajs';

/** How long new topics may take to answer offset requests. */
const READABLE_WITHIN_MS = 10_000;

/**
 * Creates topics and returns once every one of them answers an offset request.
 *
 * kafkajs' own `waitForLeaders` asks for metadata right after creation and gives up at the first
 * UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker answers while its metadata cache still lags the
 * controller. Polling the offsets until they answer rides out that window. Returns whether anything
 * was created, like `admin.createTopics` (false when every topic already existed).
 */
export async function createTopicsWhenReadable(admin: Admin, topics: ITopicConfig[]): Promise<boolean> {
  const created = await admin.createTopics({ topics, waitForLeaders: false });
  const deadline = Date.now() + READABLE_WITHIN_MS;
  for (const { topic } of topics) {
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic);
        break;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  return created;
}
