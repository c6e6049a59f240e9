import { TOPICS } from '@passport/config';
import { isPassportError } from '@passport/errors';
import { decodeMessage, readRange, resolveSpans } from '@passport/streams';
import { applyRotationStatement, MAX_ROTATION_STATEMENT_BYTES, type TrustList } from '@passport/trust';
import type { ConsoleContext } from './context';
import { verdictOf } from './verdict';

/**
 * The trust list as the agency services hold it: TRUST_LIST_FILE plus every key rotation statement on
 * passport.key-rotations.v1, applied in order as a service applies them: the record carrying it must
 * verify, be the named agency's own, and the statement itself must be signed by that agency's key in
 * force and by the next one. A statement that fails any of this is skipped, as a service parks it.
 * Each is applied at its record's broker timestamp, the time verify judges records by.
 */
export async function withRotations(context: ConsoleContext, base: TrustList): Promise<TrustList> {
  const topic = context.topics.actual(TOPICS.keyRotations);
  const spans = await resolveSpans(await context.connectedAdmin(), topic);
  if (spans.every((span) => span.start >= span.end)) return base;
  const codec = await context.eventCodec();
  let list = base;
  let skipped = 0;
  await readRange(
    context.kafka,
    topic,
    spans,
    async (message) => {
      const verdict = verdictOf(message, list, { topics: context.topics });
      const decoded = await decodeMessage(codec, TOPICS.keyRotations, message);
      const statement = (decoded.event?.payload as { statement?: string } | undefined)?.statement;
      if (
        verdict.verdict !== 'ok' ||
        statement === undefined ||
        statementAgency(statement) !== verdict.signer
      ) {
        skipped += 1;
        return;
      }
      try {
        list = applyRotationStatement(list, statement, new Date(Number(message.timestamp)));
      } catch (error) {
        if (!isPassportError(error)) throw error;
        skipped += 1;
      }
    },
    { groupPrefix: 'passport-console.rotations' },
  );
  if (skipped > 0)
    context.progress(`${skipped} key rotation statement(s) on ${topic} skipped: they do not verify`);
  return list;
}

/** The agency a statement names, read without trusting it, after a length check. */
function statementAgency(statement: string): string | undefined {
  if (statement.length > MAX_ROTATION_STATEMENT_BYTES) return undefined;
  try {
    const envelope = JSON.parse(statement) as { payload?: unknown };
    if (typeof envelope.payload !== 'string') return undefined;
    const payload = JSON.parse(Buffer.from(envelope.payload, 'base64url').toString('utf8')) as {
      agencyId?: unknown;
    };
    return typeof payload.agencyId === 'string' ? payload.agencyId : undefined;
  } catch {
    return undefined;
  }
}
