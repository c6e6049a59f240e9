import { fitDeadLetter } from '@passport/agency-service/kafka/dead-letter-size';

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' own wire encoders measure the batch */
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (batch: object) => Promise<{ size(): number }>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => object;
/* eslint-enable @typescript-eslint/no-require-imports */

const LIMIT = 64 * 1024;
const context = {
  dlq_error_code: 'PASSPORT_EVENT_UNDECODABLE',
  dlq_original_topic: 'passport.outcomes.v1',
  dlq_failed_at: new Date().toISOString(),
};

/** The record batch the broker will weigh against max.message.bytes, as kafkajs encodes it. */
async function batchSize(fitted: ReturnType<typeof fitDeadLetter>): Promise<number> {
  const record = Record({ key: fitted.key, value: fitted.value, headers: fitted.headers });
  return (await RecordBatch({ records: [record] })).size();
}

describe('fitDeadLetter', () => {
  it('keeps a record that fits whole, bytes untouched, without a truncation header', () => {
    const value = Buffer.alloc(1000, 7);
    const fitted = fitDeadLetter(
      { key: Buffer.from('k'), value, headers: [['ce_id', Buffer.from('e1')]], context },
      LIMIT,
    );
    expect(fitted.value).toBe(value);
    expect(fitted.truncated).toBeUndefined();
    expect(fitted.headers).toMatchObject({ ...context, ce_id: [Buffer.from('e1')] });
    expect(fitted.headers.dlq_truncated).toBeUndefined();
  });

  it('cuts an oversize value to fit and says so with its size before', async () => {
    const value = Buffer.alloc(3 * LIMIT, 1);
    const fitted = fitDeadLetter({ key: Buffer.from('k'), value, headers: [], context }, LIMIT);
    expect(fitted.truncated).toBe(`value ${3 * LIMIT}`);
    expect(fitted.headers.dlq_truncated).toBe(`value ${3 * LIMIT}`);
    expect(fitted.value?.length).toBeGreaterThan(LIMIT / 2);
    expect(fitted.value?.equals(value.subarray(0, fitted.value.length))).toBe(true);
    expect(await batchSize(fitted)).toBeLessThanOrEqual(LIMIT);
    expect(await batchSize(fitted)).toBeGreaterThan(LIMIT - 2_000);
  });

  it('cuts a huge key and huge or countless headers too, keeping the small ones', async () => {
    const headers: Array<[string, Buffer]> = [
      ['ce_id', Buffer.from('e1')],
      ['x_big', Buffer.alloc(LIMIT, 2)],
      ['y'.repeat(5_000), Buffer.from('long name')],
      ...Array.from({ length: 20_000 }, (_, i): [string, Buffer] => [`h${i}`, Buffer.from('v')]),
    ];
    const fitted = fitDeadLetter(
      { key: Buffer.alloc(10_000, 3), value: Buffer.alloc(LIMIT, 4), headers, context },
      LIMIT,
    );
    expect(fitted.truncated).toMatch(/^key 10000, headers \d+ of 20003, value 65536$/);
    expect(fitted.key?.length).toBe(256);
    expect(fitted.headers.ce_id).toEqual([Buffer.from('e1')]);
    expect((fitted.headers.x_big as Buffer[])[0]?.length).toBe(1024);
    expect(fitted.headers['y'.repeat(5_000)]).toBeUndefined();
    expect(await batchSize(fitted)).toBeLessThanOrEqual(LIMIT);
  });

  it("drops a partner's own dlq_* headers, so a forged context never passes for ours", () => {
    const fitted = fitDeadLetter(
      {
        key: null,
        value: null,
        headers: [
          ['dlq_consumer_group', Buffer.from('aura.exchange')],
          ['dlq_truncated', Buffer.from('no')],
        ],
        context: { ...context, dlq_consumer_group: 'bwi.exchange' },
      },
      LIMIT,
    );
    expect(fitted.headers.dlq_consumer_group).toBe('bwi.exchange');
    expect(fitted.headers.dlq_truncated).toBeUndefined();
  });
});
