import { randomBytes, randomUUID } from 'node:crypto';
import { createKafka } from '@passport/bus';
import { DEAD_LETTER_MAX_MESSAGE_BYTES, deadLetterTopicOf } from '@passport/config';
import { EventDecodeError } from '@passport/errors';
import { readRange, resolveSpans, type RangeMessage } from '@passport/streams';
import { logLevel, Partitioners, type KafkaMessage } from 'kafkajs';
import { applyTopics } from '../../../../infra/src/topology/apply-topics';
import { topicDeclarations } from '../../../../infra/src/topology/topics';
import { sendToDeadLetter } from '../../../../services/agency/src/kafka/dead-letter';
import { adminConnection } from '../../../support/cluster';
import { protocolErrorTypes } from '../../../support/kafka-errors';

jest.setTimeout(90_000);

describe('dead letters larger than their topic allows', () => {
  // An agency of its own, so the dead-letter topic (declared as for any agency) is this test's alone.
  const agencyId = `t${randomBytes(4).toString('hex')}`;
  const topic = deadLetterTopicOf(agencyId);
  const kafka = createKafka(adminConnection(), { clientId: 'dlq-size-it', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await applyTopics(
      admin,
      topicDeclarations([{ id: agencyId }]).filter((t) => t.name === topic),
      {
        replicationFactor: 1,
        minInsyncReplicas: 1,
      },
    );
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('are cut to fit, marked dlq_truncated with the size before, and produced', async () => {
    // What a partner's compressed batch can unpack to: three times the topic's limit.
    const value: Buffer = Buffer.from(randomBytes(3 * DEAD_LETTER_MAX_MESSAGE_BYTES));
    const key = randomUUID();
    const poison: KafkaMessage = {
      key: Buffer.from(key),
      value,
      headers: { ce_id: Buffer.from('e-1'), x_padding: Buffer.alloc(300_000, 0x61) },
      offset: '41',
      timestamp: String(Date.now()),
      attributes: 0,
    };

    // The record as it was would be refused: that is what used to stop the consumer.
    const whole = await producer
      .send({ topic, acks: -1, messages: [{ key, value, headers: poison.headers }] })
      .catch((e: unknown) => e);
    expect(protocolErrorTypes(whole)).toContain('MESSAGE_TOO_LARGE');

    await sendToDeadLetter(producer, {
      agencyId,
      topic: 'passport.outcomes.v1',
      partition: 2,
      message: poison,
      consumerGroup: `${agencyId}.exchange`,
      error: new EventDecodeError('not Avro'),
    });

    const read: RangeMessage[] = [];
    await readRange(kafka, topic, await resolveSpans(admin, topic), (m) => void read.push(m), {
      groupPrefix: 'dlq-size-it',
    });
    expect(read).toHaveLength(1);
    const [letter] = read as [RangeMessage];
    expect(letter.key).toBe(key);
    expect(letter.headers).toMatchObject({
      dlq_truncated: `headers 1 of 2, value ${value.length}`,
      dlq_error_code: 'PASSPORT_EVENT_UNDECODABLE',
      dlq_original_topic: 'passport.outcomes.v1',
      dlq_original_offset: '41',
      ce_id: 'e-1',
    });
    expect(letter.headers.x_padding).toHaveLength(1024);
    expect(letter.value?.length).toBeGreaterThan(DEAD_LETTER_MAX_MESSAGE_BYTES / 2);
    expect(letter.value?.equals(value.subarray(0, letter.value.length))).toBe(true);
  });
});
