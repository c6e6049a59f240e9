import { readFileSync, statSync } from 'node:fs';
import { EvidenceInvalidError, isPassportError, UsageError } from '@passport/errors';
import {
  EvidenceChainChecker,
  MAX_EVIDENCE_HEAD_BYTES,
  MAX_EVIDENCE_LINE_BYTES,
  MAX_TRUST_LIST_BYTES,
  TrustList,
  verifyEvidenceHead,
  type EvidenceFailure,
  type EvidenceHead,
  type EvidenceSummary,
} from '@passport/trust';
import { boundedLines } from '../bounded-lines';
import type { Command, Values } from '../command';
import type { ConsoleContext } from '../context';

/** How often a long check says how far it got (on stderr). */
const PROGRESS_EVERY_LINES = 10_000;

function readTrustList(file: string): TrustList {
  if (statSync(file).size > MAX_TRUST_LIST_BYTES)
    throw new UsageError(`--trust-list ${file} is larger than ${MAX_TRUST_LIST_BYTES} bytes`);
  return TrustList.fromText(readFileSync(file, 'utf8'));
}

/** The signed head, or a failure (reported like any other) when it does not verify. */
function readHead(file: string, trustList: TrustList): EvidenceHead | EvidenceFailure {
  if (statSync(file).size > MAX_EVIDENCE_HEAD_BYTES)
    throw new UsageError(`--head ${file} is larger than ${MAX_EVIDENCE_HEAD_BYTES} bytes`);
  try {
    return verifyEvidenceHead(readFileSync(file, 'utf8'), trustList);
  } catch (error) {
    const code = isPassportError(error) ? error.code : 'UNEXPECTED';
    return {
      line: 0,
      seq: 0,
      kind: 'head',
      code,
      message: `the signed head does not verify: ${(error as Error).message}`,
    };
  }
}

/** The --head statement, verified; a head that does not verify is reported and counts as a failure. */
function signedHead(
  context: ConsoleContext,
  headFile: Values[string],
  trustList: TrustList | undefined,
): { head?: EvidenceHead; failed: boolean } {
  if (typeof headFile !== 'string') return { failed: false };
  if (!trustList) throw new UsageError('--head needs --trust-list');
  const head = readHead(headFile, trustList);
  if ('kind' in head) {
    context.io.out(context.json ? JSON.stringify({ failure: head }) : describeFailure(head));
    return { failed: true };
  }
  context.progress(`signed head of ${head.agencyId}: entry ${head.seq}, issued ${head.issuedAt}`);
  return { head, failed: false };
}

const describeFailure = (failure: EvidenceFailure) =>
  `entry ${failure.seq} (line ${failure.line}): ${failure.kind}${failure.code ? ` ${failure.code}` : ''}: ${failure.message}`;

function describeSummary(summary: EvidenceSummary, signatures: boolean): string {
  const refused = Object.entries(summary.refused)
    .map(([code, count]) => `${count} ${code}`)
    .join(', ');
  return [
    `${summary.entries} entries (${summary.sent} sent, ${summary.received} received), last ${summary.lastSeq}, head hash ${summary.headHash}`,
    refused ? `records refused when received: ${refused}` : 'no record was refused when received',
    signatures
      ? `${summary.signaturesChecked} signatures checked again against the trust list`
      : 'signatures not checked (no --trust-list)',
  ].join('\n');
}

async function verifyLog(
  context: ConsoleContext,
  file: string,
  trustList: TrustList | undefined,
  head: EvidenceHead | undefined,
) {
  const report = (failure: EvidenceFailure) =>
    context.io.out(context.json ? JSON.stringify({ failure }) : describeFailure(failure));
  const checker = new EvidenceChainChecker(report, trustList, head);
  let lines = 0;
  context.progress(`checking ${file}…`);
  for await (const line of boundedLines(file, MAX_EVIDENCE_LINE_BYTES)) {
    lines += 1;
    if ('tooLong' in line)
      checker.refuseLine(line.line, `the line is longer than ${MAX_EVIDENCE_LINE_BYTES} bytes`);
    else checker.checkLine(line.line, line.text);
    if (lines % PROGRESS_EVERY_LINES === 0) context.progress(`${lines} entries checked…`);
  }
  return { summary: checker.finish(lines), failures: checker.failureCount };
}

export const evidenceCommand: Command = {
  name: 'evidence',
  summary: "check an agency's exported evidence log (hash chain, and signatures with --trust-list)",
  usage: [
    'passport evidence verify <file> [--trust-list <file> [--head <file>]] [--json]',
    '  <file>        an export: curl -H "authorization: Bearer $KEY" <agency url>/evidence/export > log.jsonl',
    '  --trust-list  re-verify the signature of every entry recorded as verified',
    "  --head        the agency's signed head (GET /evidence/head): the log must hold that entry, unchanged",
    '  Every failure is reported with its entry number; the exit code is 1 if there is any.',
    '  Needs no cluster: it reads only the two files.',
  ].join('\n'),
  options: { 'trust-list': { type: 'string' }, head: { type: 'string' } },
  positionals: ['verify', 'file'],
  offline: true,
  async run(context, values, positionals) {
    const [action, file] = positionals as [string, string];
    if (action !== 'verify') throw new UsageError(`unknown evidence action ${action}; use verify`);
    const trustFile = values['trust-list'];
    const trustList = typeof trustFile === 'string' ? readTrustList(trustFile) : undefined;
    const head = signedHead(context, values.head, trustList);
    const checked = await verifyLog(context, file, trustList, head.head);
    const { summary } = checked;
    const failures = checked.failures + (head.failed ? 1 : 0);
    context.print({ summary: { file, ...summary, failures } }, () =>
      [
        describeSummary(summary, trustList !== undefined),
        failures ? `${failures} failures` : 'the log verifies',
      ].join('\n'),
    );
    if (failures > 0)
      throw new EvidenceInvalidError(failures, `${file}: ${failures} failures in ${summary.entries} entries`);
  },
};
