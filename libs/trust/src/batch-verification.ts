import { verify as ed25519Verify } from 'node:crypto';
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
 * Signatures in flight at once on libuv's thread pool. Enough to keep the pool's threads busy while
 * the main thread decodes and applies the records before them; few enough that file and DNS work
 * queued behind them (the pool is shared) waits a few milliseconds at most.
 */
export const VERIFY_AHEAD_WINDOW = 64;

/** A record read ahead: refused already, or prepared with its Ed25519 check started off the main thread. */
type ReadAhead =
  | { refused: unknown }
  | { prepared: PreparedRecord; check?: { publicKey: string; valid: Promise<boolean | undefined> } };

/**
 * Verifies a fetched batch's signatures ahead of the records' turn, on the thread pool (the second
 * core), while the records before them are decoded and applied. Each record's verdict is still given
 * at its turn, against the trust list of that moment, and is the one verifyRecord would give then:
 * the early check counts only if the key in force is the very public key it was checked with;
 * otherwise (a key a rotation earlier in the batch added) the signature is checked there and then.
 * Every length limit is checked before a signature is started; nothing of a record is trusted early.
 */
export class VerifyAhead {
  readonly #records: readonly KafkaRecord[];
  readonly #trustListAtStart: TrustList;
  readonly #window: number;
  readonly #readAhead: ReadAhead[] = [];

  constructor(records: readonly KafkaRecord[], trustList: TrustList, window = VERIFY_AHEAD_WINDOW) {
    this.#records = records;
    this.#trustListAtStart = trustList;
    this.#window = Math.max(1, window);
    this.#fill(this.#window);
  }

  /** The verdict on record `index` (in the order records come), by `trustList` at `at`; throws its refusal. */
  async verdict(index: number, trustList: TrustList, at: Date): Promise<VerifiedSender> {
    this.#fill(index + 1 + this.#window);
    const early = this.#readAhead[index];
    if (early === undefined) throw new RangeError(`the batch has no record ${index}`);
    if ('refused' in early) throw early.refused;
    const found = lookUpSigner(early.prepared, trustList, at);
    const checkedEarly =
      early.check?.publicKey === found.lookup.key.publicKey ? await early.check.valid : undefined;
    const valid = checkedEarly ?? signatureVerifies(early.prepared, found.lookup.key, trustList);
    return judgeSignedRecord(early.prepared, found, valid);
  }

  #fill(upTo: number): void {
    const end = Math.min(upTo, this.#records.length);
    while (this.#readAhead.length < end)
      this.#readAhead.push(this.#readRecord(this.#records[this.#readAhead.length] as KafkaRecord));
  }

  #readRecord(record: KafkaRecord): ReadAhead {
    let prepared: PreparedRecord;
    try {
      prepared = prepareRecord(record);
    } catch (refused) {
      return { refused };
    }
    const list = this.#trustListAtStart;
    const owner = list.ownerOfSigningKey(prepared.keyId);
    const lookup = owner === undefined ? undefined : list.signingKey(owner, prepared.keyId, new Date());
    if (lookup === undefined || lookup.status === 'unknown') return { prepared };
    const verifier = list.verifierOf(lookup.key);
    // An error of the asynchronous check (none is expected) leaves the verdict to the synchronous one,
    // which throws it where verifyRecord would.
    const valid = new Promise<boolean | undefined>((resolve) =>
      ed25519Verify(null, prepared.signedBytes, verifier, prepared.signature, (error, ok) =>
        resolve(error ? undefined : ok),
      ),
    );
    return { prepared, check: { publicKey: lookup.key.publicKey, valid } };
  }
}
