import { EVIDENCE_GENESIS, EVIDENCE_VERIFIED, evidenceHash, type EvidenceEntry } from './evidence-entry';
import { parseEvidenceLine } from './evidence-schema';
import { verifyEvidenceSignature } from './evidence-signature';
import { isPassportError } from '@passport/errors';
import type { TrustList } from './trust-list';

export type EvidenceFailureKind =
  'malformed' | 'hash-mismatch' | 'sequence' | 'prev-link' | 'signature' | 'head' | 'empty';

/** One thing wrong with a log, named by the entry's sequence number (or the one expected there). */
export interface EvidenceFailure {
  line: number;
  seq: number;
  kind: EvidenceFailureKind;
  message: string;
  /** For `signature`: the refusal code the re-verification gave. */
  code?: string;
}

export interface EvidenceSummary {
  entries: number;
  sent: number;
  received: number;
  /** Entries whose recorded verdict was a refusal, by code: what partners sent that did not verify. */
  refused: Record<string, number>;
  signaturesChecked: number;
  lastSeq: number;
  headHash: string;
}

/**
 * Checks an exported log line by line, in one pass and constant memory: each line's hash over its
 * canonical encoding, sequence numbers 1, 2, 3… without gap, and each prev hash equal to the hash of
 * the line before. With a trust list, every entry recorded as verified has its signature checked
 * again. Every failure is kept, each named by its sequence number; after one, checking goes on from
 * that line, so one deleted or moved entry is reported where it happened, not on every later line.
 */
export class EvidenceChainChecker {
  #failures = 0;
  readonly #summary: EvidenceSummary = {
    entries: 0,
    sent: 0,
    received: 0,
    refused: {},
    signaturesChecked: 0,
    lastSeq: 0,
    headHash: EVIDENCE_GENESIS,
  };
  #expectedSeq = 1;
  /** The hash the next entry must link to; undefined after a line that could not be read. */
  #prevHash: string | undefined = EVIDENCE_GENESIS;
  #headSeen = false;

  /** Failures are handed on as found, so a long log with many is never held in memory. */
  constructor(
    private readonly onFailure: (failure: EvidenceFailure) => void,
    private readonly trustList?: TrustList,
    /** A head the agency signed (verifyEvidenceHead): the log must hold that entry, with that hash. */
    private readonly head?: { seq: number; entryHash: string },
  ) {}

  get failureCount(): number {
    return this.#failures;
  }

  /** A line the reader refused before parsing (over the length limit). */
  refuseLine(line: number, message: string): void {
    this.#fail({ line, seq: this.#expectedSeq, kind: 'malformed', message });
    this.#expectedSeq += 1;
    this.#prevHash = undefined;
  }

  checkLine(line: number, text: string): void {
    const parsed = parseEvidenceLine(text);
    if (!parsed.ok) {
      const seq = parsed.seq ?? this.#expectedSeq;
      this.#fail({ line, seq, kind: 'malformed', message: parsed.problem });
      this.#expectedSeq = Math.max(this.#expectedSeq, seq) + 1;
      this.#prevHash = undefined;
      return;
    }
    this.#checkEntry(line, parsed.entry);
  }

  #checkEntry(line: number, entry: EvidenceEntry): void {
    const { entryHash, ...unhashed } = entry;
    const { seq } = entry;
    if (evidenceHash(unhashed) !== entryHash)
      this.#fail({
        line,
        seq,
        kind: 'hash-mismatch',
        message: 'the entry does not match its hash (altered)',
      });
    if (seq !== this.#expectedSeq)
      this.#fail({
        line,
        seq,
        kind: 'sequence',
        message:
          seq > this.#expectedSeq
            ? `expected entry ${this.#expectedSeq}: ${seq - this.#expectedSeq} entr${seq - this.#expectedSeq === 1 ? 'y is' : 'ies are'} missing before it`
            : `expected entry ${this.#expectedSeq}: the entry is out of order or repeated`,
      });
    if (this.#prevHash !== undefined && entry.prevHash !== this.#prevHash)
      this.#fail({
        line,
        seq,
        kind: 'prev-link',
        message: 'its prev hash is not the hash of the entry before it',
      });
    if (this.trustList && entry.verdict === EVIDENCE_VERIFIED)
      this.#checkSignature(line, entry, this.trustList);
    if (this.head && seq === this.head.seq) this.#checkHead(line, entry, this.head);
    this.#count(entry);
    this.#expectedSeq = Math.max(this.#expectedSeq, seq + 1);
    this.#prevHash = entryHash;
  }

  #checkSignature(line: number, entry: EvidenceEntry, trustList: TrustList): void {
    this.#summary.signaturesChecked += 1;
    try {
      verifyEvidenceSignature(entry, trustList);
    } catch (error) {
      const code = isPassportError(error) ? error.code : 'UNEXPECTED';
      const message = `recorded as verified, but its signature does not verify now: ${(error as Error).message}`;
      this.#fail({ line, seq: entry.seq, kind: 'signature', code, message });
    }
  }

  #checkHead(line: number, entry: EvidenceEntry, head: { seq: number; entryHash: string }): void {
    this.#headSeen = true;
    if (entry.entryHash !== head.entryHash)
      this.#fail({
        line,
        seq: entry.seq,
        kind: 'head',
        message: 'the entry is not the one the signed head names',
      });
  }

  #count(entry: EvidenceEntry): void {
    const summary = this.#summary;
    summary.entries += 1;
    summary[entry.direction] += 1;
    if (entry.verdict !== EVIDENCE_VERIFIED)
      summary.refused[entry.verdict] = (summary.refused[entry.verdict] ?? 0) + 1;
    summary.lastSeq = entry.seq;
    summary.headHash = entry.entryHash;
  }

  #fail(failure: EvidenceFailure): void {
    this.#failures += 1;
    this.onFailure(failure);
  }

  /** The totals once every line is checked; an empty log is a failure (there is nothing to prove). */
  finish(lines: number): EvidenceSummary {
    if (lines === 0) this.#fail({ line: 0, seq: 1, kind: 'empty', message: 'the log holds no entry' });
    if (this.head && this.head.seq > 0 && !this.#headSeen)
      this.#fail({
        line: lines,
        seq: this.head.seq,
        kind: 'head',
        message: `the signed head names entry ${this.head.seq}, which the log does not hold (cut short?)`,
      });
    return { ...this.#summary, refused: { ...this.#summary.refused } };
  }
}
