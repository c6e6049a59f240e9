import { randomBytes } from 'node:crypto';

/** Random bytes drawn in blocks: one system call per 512 ids instead of one per id. */
const POOL_IDS = 512;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function tenRandomBytes(): Buffer {
  if (poolOffset + 10 > pool.length) {
    pool = randomBytes(10 * POOL_IDS);
    poolOffset = 0;
  }
  poolOffset += 10;
  return pool.subarray(poolOffset - 10, poolOffset);
}

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids made
 * later sort later, so the tables keyed by event id (processed events, outbox, outcomes) grow at their
 * right edge instead of touching a random page per insert; a commit of a few hundred events then writes
 * a handful of pages rather than hundreds. The time it reveals is the event's own `occurredAt`.
 */
export function newEventId(now: number = Date.now()): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now, 0, 6);
  tenRandomBytes().copy(bytes, 6);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f); // version 7
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
