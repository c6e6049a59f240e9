import { isPassportError, RotationRefusedError } from '@passport/errors';
import { applyRotationStatement, MAX_ROTATION_STATEMENT_BYTES, TrustList } from '@passport/trust';
import type { Database } from './db/database';
import { appliedRotations, recordAppliedRotation } from './store/applied-rotations';

/** What verification reads at each record: a fixed list (benchmarks, tests) or the live one. */
export type TrustSource = TrustList | LiveTrustList;

/** The trust list in force now, whichever kind of source holds it. */
export const trustListOf = (source: TrustSource): TrustList =>
  source instanceof TrustList ? source : source.current();

/**
 * The trust list a running service verifies with: the operators' file (TRUST_LIST_FILE) as the base,
 * and on top every key rotation statement this agency applied, kept in its database (migration 12) so
 * a restart knows what it learnt on the exchange. Each statement is checked against the list as it
 * stands (applyRotationStatement); applying one twice changes nothing.
 */
export class LiveTrustList {
  #list: TrustList;

  private constructor(list: TrustList) {
    this.#list = list;
  }

  /**
   * The base with the stored statements replayed in the order they were applied, each at the time it
   * was applied. One that no longer applies (the file was replaced by one that lacks a key, say) is
   * skipped and reported, never fatal: the file is the operators' word.
   */
  static async load(
    db: Database,
    base: TrustList,
    onSkipped: (agencyId: string, error: unknown) => void = () => undefined,
  ): Promise<LiveTrustList> {
    let list = base;
    for (const rotation of await appliedRotations(db)) {
      try {
        list = applyRotationStatement(list, rotation.statement, rotation.appliedAt);
      } catch (error) {
        onSkipped(rotation.agencyId, error);
      }
    }
    return new LiveTrustList(list);
  }

  static fixed(list: TrustList): LiveTrustList {
    return new LiveTrustList(list);
  }

  current(): TrustList {
    return this.#list;
  }

  /**
   * Applies a statement that `signer` published: checked against the current list, stored in the
   * caller's transaction `tx`, then in force for the next record verified. Throws RotationRefusedError
   * (nothing changes) when the statement is not `signer`'s own or does not verify. Used by the
   * consumer: were the transaction to roll back, the statement (genuine, it verified) is read again.
   */
  async apply(tx: Database, statement: string, signer: string, at: Date): Promise<void> {
    await this.record(tx, statement, signer, at);
    this.adopt(statement, at);
  }

  /**
   * Checks a statement and stores it in `tx` without putting it in force: for the agency's own
   * rotation, whose new key must not count before the transaction that announces it has committed
   * (then call adopt). Throws RotationRefusedError like apply.
   */
  async record(tx: Database, statement: string, signer: string, at: Date): Promise<void> {
    this.#checked(statement, signer, at);
    await recordAppliedRotation(tx, { agencyId: signer, statement, appliedAt: at });
  }

  /** Puts a statement that was recorded (and checked) in force; applying it again changes nothing. */
  adopt(statement: string, at: Date): void {
    this.#list = applyRotationStatement(this.#list, statement, at);
  }

  #checked(statement: string, signer: string, at: Date): TrustList {
    const agencyId = statementAgency(statement);
    if (agencyId !== signer)
      throw new RotationRefusedError(
        signer,
        'statement-agency-is-signer',
        `key rotation statement refused: it announces keys of ${agencyId ?? 'no agency'} but the record was signed by ${signer}; an agency rotates only its own keys`,
      );
    try {
      return applyRotationStatement(this.#list, statement, at);
    } catch (error) {
      if (!isPassportError(error)) throw error;
      throw new RotationRefusedError(
        signer,
        error.code,
        `key rotation statement of ${signer} refused: ${error.message}`,
        {
          cause: error,
        },
      );
    }
  }
}

/**
 * The agency a statement names, read without verifying anything: bounded in length first, undefined
 * for anything that is not a statement (applyRotationStatement then says what is wrong).
 */
export function statementAgency(statement: string): string | undefined {
  if (statement.length > MAX_ROTATION_STATEMENT_BYTES) return undefined;
  try {
    const envelope = JSON.parse(statement) as { payload?: unknown };
    if (typeof envelope.payload !== 'string') return undefined;
    const payload = JSON.parse(Buffer.from(envelope.payload, 'base64url').toString('utf8')) as {
      agencyId?: unknown;
    };
    return typeof payload.agencyId === 'string' ? payload.agencyId.slice(0, 16) : undefined;
  } catch {
    return undefined;
  }
}
