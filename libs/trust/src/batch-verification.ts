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
 * Checks queued on libuv's thread pool at once. The pool is shared (file and DNS work wait behind them)
 * and a check queued for a record the main thread has already passed is wasted work, so few are queued;
 * enough that the pool does not run dry between two of the main thread's loop turns.
 */
export const POOL_CHECKS_IN_FLIGHT = 48;
/** The main thread lets the pool's finished checks in this often (their callbacks need a loop turn). */
const TURN_EVERY = 16;

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
 * is done there and then, and the pool is given no record the main thread has reached. Each verdict
 * is given at the record's turn, against the trust list of that moment, and is the one verifyRecord
 * would give then: a pool answer counts only if the key in force is the very public key it was checked
 * with, otherwise (a key a rotation earlier in the batch added) the signature is checked at the turn.
 */
export class VerifyAhead {
  readonly #readAhead: ReadAhead[];
  readonly #trustListAtStart: TrustList;
  readonly #inFlightLimit: number;
  /** The next record the pool is given, counting down; below the main thread's, the pool is done. */
  #nextForPool: number;
  /** The record whose verdict the main thread gives next. */
  #nextForMain = 0;
  #inFlight = 0;

  constructor(records: readonly KafkaRecord[], trustList: TrustList, inFlight = POOL_CHECKS_IN_FLIGHT) {
    this.#readAhead = records.map((record) => read(record));
    this.#trustListAtStart = trustList;
    this.#inFlightLimit = inFlight;
    this.#nextForPool = this.#readAhead.length - 1;
    this.#feedPool();
  }

  /** Checks started on the pool whose callback has not run yet. */
  poolChecksPending(): number {
    return this.#inFlight;
  }

  /** The verdict on record `index` (in the order records come), by `trustList` at `at`; throws its refusal. */
  async verdict(index: number, trustList: TrustList, at: Date): Promise<VerifiedSender> {
    if (index % TURN_EVERY === 0) await nextTurn();
    this.#nextForMain = Math.max(this.#nextForMain, index + 1);
    const early = this.#readAhead[index];
    if (early === undefined) throw new RangeError(`the batch has no record ${index}`);
    if ('refused' in early) throw early.refused;
    const found = lookUpSigner(early.prepared, trustList, at);
    const answered = early.check?.publicKey === found.lookup.key.publicKey ? early.check.answer : undefined;
    const valid = answered ?? signatureVerifies(early.prepared, found.lookup.key, trustList);
    return judgeSignedRecord(early.prepared, found, valid);
  }

  /** Gives the pool the next records from the back, up to the limit, never one the main thread reached. */
  #feedPool(): void {
    while (this.#inFlight < this.#inFlightLimit && this.#nextForPool >= this.#nextForMain) {
      const early = this.#readAhead[this.#nextForPool];
      this.#nextForPool -= 1;
      if (early === undefined || !('prepared' in early)) continue;
      early.check = startPoolCheck(early.prepared, this.#trustListAtStart, () => {
        this.#inFlight -= 1;
        this.#feedPool();
      });
      if (early.check !== undefined) this.#inFlight += 1;
    }
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
function startPoolCheck(
  prepared: PreparedRecord,
  trustList: TrustList,
  onSettled: () => void,
): PoolCheck | undefined {
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
      onSettled();
    },
  );
  return check;
}
