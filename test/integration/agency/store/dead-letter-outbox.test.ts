import { randomUUID } from 'node:crypto';
import type { Database } from '@passport/agency-service/db/database';
import {
  confirmDeadLetters,
  deadLetterHealth,
  markDeadLettersPublished,
  queueDeadLetter,
  requeueUnconfirmedDeadLetters,
  unpublishedDeadLetters,
  type QueuedDeadLetter,
} from '@passport/agency-service/store/dead-letter-outbox';
import { AGENCY_DATABASE_ENGINES, eachTestOnANewDatabase } from '../../../support/agency-databases';

const letter = (offset: number, value: Buffer | null = Buffer.from([0, 255, 10])): QueuedDeadLetter => ({
  dlqId: randomUUID(),
  origin: `bwi.exchange passport.outcomes.v1/0@${offset}`,
  key: null,
  value,
  headers: [
    ['ce_id', Buffer.from('e-1')],
    ['x_bytes', Buffer.from([0xff, 0x00])],
    ['ce_id', Buffer.from('e-2')],
  ],
});

describe.each(AGENCY_DATABASE_ENGINES)('the dead-letter outbox on %s', (_name, open) => {
  let db: Database;
  eachTestOnANewDatabase(open, (opened) => (db = opened));

  it('keeps the raw bytes and header order, and queues a message read twice once', async () => {
    const first = letter(3);
    expect(await queueDeadLetter(db, first, 1_000)).toBe(true);
    // The same poison message read again before its offset was committed, under a new dlq_id.
    expect(await queueDeadLetter(db, { ...letter(3), value: null }, 2_000)).toBe(false);
    const [row, ...rest] = await unpublishedDeadLetters(db, 10);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ dlqId: first.dlqId, origin: first.origin, key: null });
    expect(row?.value?.equals(first.value as Buffer)).toBe(true);
    expect(row?.headers.map(([name, value]) => [name, value.toString('hex')])).toEqual([
      ['ce_id', Buffer.from('e-1').toString('hex')],
      ['x_bytes', 'ff00'],
      ['ce_id', Buffer.from('e-2').toString('hex')],
    ]);
  });

  it('confirms by dlq_id, resends only what is overdue and unconfirmed, and reports both counts', async () => {
    const [seen, lost, waiting] = [letter(1), letter(2), letter(3)];
    for (const queued of [seen, lost, waiting]) await queueDeadLetter(db, queued, 1_000);
    const rows = await unpublishedDeadLetters(db, 10);
    await markDeadLettersPublished(
      db,
      rows.slice(0, 2).map((row) => row.id),
      5_000,
    );
    expect(await deadLetterHealth(db)).toEqual({ backlog: 1, unconfirmed: 2, oldestFirstPublishedAt: 5_000 });
    await confirmDeadLetters(db, [seen.dlqId, 'not-ours'], 6_000);
    expect(await deadLetterHealth(db)).toEqual({ backlog: 1, unconfirmed: 1, oldestFirstPublishedAt: 5_000 });

    expect(await requeueUnconfirmedDeadLetters(db, 5_000)).toBe(0);
    expect(await requeueUnconfirmedDeadLetters(db, 5_001)).toBe(1);
    expect((await unpublishedDeadLetters(db, 10)).map((row) => row.dlqId)).toEqual([
      lost.dlqId,
      waiting.dlqId,
    ]);
    // Sent again later: still aged from its first send.
    await markDeadLettersPublished(
      db,
      (await unpublishedDeadLetters(db, 10)).map((row) => row.id),
      9_000,
    );
    expect(await deadLetterHealth(db)).toEqual({ backlog: 0, unconfirmed: 2, oldestFirstPublishedAt: 5_000 });
    await confirmDeadLetters(db, [lost.dlqId, waiting.dlqId], 9_500);
    expect(await deadLetterHealth(db)).toEqual({
      backlog: 0,
      unconfirmed: 0,
      oldestFirstPublishedAt: undefined,
    });
  });
});
