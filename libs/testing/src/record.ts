import type { EventCodec, EventTopic } from '@passport/events';
import { decodeMessage, readRange, resolveSpans, type Position } from '@passport/streams';
import type { Kafka } from 'kafkajs';
import { writeFixtures, type FixtureRecord } from './fixtures';

export interface RecordOptions {
  kafka: Kafka;
  codec: EventCodec;
  /** The topic as it exists on the broker. */
  topic: string;
  /** The contract topic its values are encoded for; defaults to `topic`. */
  logical?: EventTopic;
  from?: Position;
  to?: Position;
  /** Also write the fixtures here as NDJSON. */
  file?: string;
}

export interface Recording {
  records: FixtureRecord[];
  /** Messages in the range that are not events of the contract (poison); fixtures hold events only. */
  skipped: number;
}

/** Records a range of a topic (everything up to now by default) as fixtures. */
export async function recordTopic(options: RecordOptions): Promise<Recording> {
  const logical = options.logical ?? (options.topic as EventTopic);
  const admin = options.kafka.admin();
  await admin.connect();
  let spans;
  try {
    spans = await resolveSpans(admin, options.topic, options.from, options.to);
  } finally {
    await admin.disconnect();
  }
  const records: FixtureRecord[] = [];
  let skipped = 0;
  await readRange(
    options.kafka,
    options.topic,
    spans,
    async (message) => {
      const decoded = await decodeMessage(options.codec, logical, message);
      if (!decoded.event) {
        skipped += 1;
        return;
      }
      const { partition, offset, timestamp, key, headers } = message;
      records.push({ topic: logical, partition, offset, timestamp, key, headers, event: decoded.event });
    },
    { groupPrefix: 'passport-testing.record' },
  );
  if (options.file) writeFixtures(options.file, records);
  return { records, skipped };
}
