import { EventValidationError, SealInvalidError } from '@passport/errors';
import { z } from 'zod';
import { contactPerson } from '../common/contact';
import { text } from '../common/primitives';
import { jsonNestingExceeds } from '../json-depth';

/**
 * What a sealed introduction field holds once opened: the JSON of a firm's or a candidate's name, its
 * contact person and the message for the other side, with the same limits as the clear v1 fields.
 */
export const sealedParty = z.object({
  name: text(200),
  contact: contactPerson,
  message: text(1000).nullable().default(null),
});

export type SealedParty = z.output<typeof sealedParty>;

/**
 * A party's data as the bytes to seal, validated first (what the recipient would refuse is never
 * sent); `field` names it in the error, as the clear event's validation would.
 */
export function sealedPartyBytes(party: unknown, field: string): Buffer {
  const result = sealedParty.safeParse(party);
  if (!result.success)
    throw new EventValidationError(
      field,
      result.error.issues.map((issue) => ({
        path: [field, ...issue.path].join('.'),
        message: issue.message,
      })),
    );
  return Buffer.from(JSON.stringify(result.data), 'utf8');
}

// The opened plaintext is at most 4096 bytes (libs/trust); a party is an object of depth 3.
const MAX_PARTY_DEPTH = 4;

/**
 * Reads an opened sealed field. It was sealed by a partner, so it is untrusted input like any event:
 * nesting bounded before JSON.parse, then the zod rules; a failure names the field.
 */
export function parseSealedParty(plaintext: Buffer, field: string): SealedParty {
  const json = plaintext.toString('utf8');
  let value: unknown;
  try {
    if (jsonNestingExceeds(json, MAX_PARTY_DEPTH)) throw new Error(`nests deeper than ${MAX_PARTY_DEPTH}`);
    value = JSON.parse(json);
  } catch (error) {
    // No cause: JSON.parse's message quotes the opened text, which is personal data, and logs would keep it.
    throw new SealInvalidError(`the opened ${field} is not JSON (${(error as Error).name})`, {
      details: { field },
    });
  }
  const result = sealedParty.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = [field, ...(issue?.path ?? [])].join('.');
    throw new SealInvalidError(`the opened ${path} ${issue?.message ?? 'is invalid'}`, {
      details: { field: path },
    });
  }
  return result.data;
}
