import { verify as ed25519Verify } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { KafkaRecord } from './record-payload';
import {
  judgeSignedRecord,
  lookUpSigner,
  prepareRecord,
  signatureVerifies,
  type PreparedRecord,
  type VerifiedSender,
} from './record-verification';
import type { TrustList } from './trust-list';

/**
 * Records of a batch whose Ed25519 checks go to libuv's thread pool, at most: the pool is shared (file
 * and DNS work wait behind them), and this many checks take it a fraction of a second at most.
 */
export const VERIFY_AHEAD_LIMIT = 1024;
/** The main thread lets the pool's finished checks in this often (their callbacks need a loop turn). */
const TURN_EVERY = 32;

/** An Ed25519 check started on the thread pool: its answer once its callback has run. */
interface PoolCheck {
  publicKey: string;
  answer: boolean | undefined;
  settled: boolean;
}

/** A record read ahead: refused already, or prepared, with its check maybe started on the pool. */
type ReadAhead = { refused: unknown } | { prepared: PreparedRecord; check?: PoolCheck };

/**
 * Verifies a fetched batch's signatures with the help of the thread pool (the second core) while the
 * main thread decodes and applies. All records are prepared at once (every length limit first); the
 * pool checks them from the last one backwards while the main thread goes forwards, so the two meet
 * in the middle and neither waits for the other: at a record's turn, a check the pool has not answered
 * is done there and then. Each verdict is given at the record's turn, against the trust list of that
 * moment, and is the one verifyRecord would give then: a pool answer counts only if the key in force
 * is the very public key it was checked with, otherwise (a key a rotation earlier in the batch added)
 * the signature is checked at the turn.
 */
export class VerifyAhead {
  readonly #readAhead: ReadAhead[];

  constructor(records: readonly KafkaRecord[], trustList: TrustList, limit = VERIFY_AHEAD_LIMIT) {
    this.#readAhead = records.map((record) => read(record));
    const first = Math.max(0, this.#readAhead.length - limit);
    for (let index = this.#readAhead.length - 1; index >= first; index -= 1) {
      const early = this.#readAhead[index];
      if (early !== undefined && 'prepared' in early) early.check = startPoolCheck(early.prepared, trustList);
    }
  }

  /** Checks started on the pool whose callback has not run yet. */
  poolChecksPending(): number {
    return this.#readAhead.filter(
      (early) => 'prepared' in early && early.check !== undefined && !early.check.settled,
    ).length;
  }

  /** The verdict on record `index` (in the order records come), by `trustList` at `at`; throws its refusal. */
  async verdict(index: number, trustList: TrustList, at: Date): Promise<VerifiedSender> {
    if (index % TURN_EVERY === 0) await nextTurn();
    const early = this.#readAhead[index];
    if (early === undefined) throw new RangeError(`the batch has no record ${index}`);
    if ('refused' in early) throw early.refused;
    const found = lookUpSigner(early.prepared, trustList, at);
    const answered = early.check?.publicKey === found.lookup.key.publicKey ? early.check.answer : undefined;
    const valid = answered ?? signatureVerifies(early.prepared, found.lookup.key, trustList);
    return judgeSignedRecord(early.prepared, found, valid);
  }
}

function read(record: KafkaRecord): ReadAhead {
  try {
    return { prepared: prepareRecord(record) };
  } catch (refused) {
    return { refused };
  }
}

/** Starts the Ed25519 check on the pool for a key the list knows now; nothing for an unknown key. */
function startPoolCheck(prepared: PreparedRecord, trustList: TrustList): PoolCheck | undefined {
  const owner = trustList.ownerOfSigningKey(prepared.keyId);
  const lookup = owner === undefined ? undefined : trustList.signingKey(owner, prepared.keyId, new Date());
  if (lookup === undefined || lookup.status === 'unknown') return undefined;
  const check: PoolCheck = { publicKey: lookup.key.publicKey, answer: undefined, settled: false };
  // An error of the pool's check (none is expected) leaves the answer to the check at the turn, which
  // throws it where verifyRecord would.
  ed25519Verify(
    null,
    prepared.signedBytes,
    trustList.verifierOf(lookup.key),
    prepared.signature,
    (error, ok) => {
      check.settled = true;
      if (!error) check.answer = ok;
    },
  );
  return check;
}
