import {
  AGREEMENT_TYPES,
  anonymousText,
  candidate,
  consent,
  contactPerson,
  DECLINE_REASONS,
  NO_CANDIDATES_REASONS,
  needsProfile,
  OUTCOME_KINDS,
  MAX_JSON_DEPTH,
  text,
} from '@passport/events';
import { BodyTooDeepError } from '@passport/errors';
import { z } from 'zod';

/**
 * Bodies of the back-office API. They reuse the contract's validators, so a body that passes here
 * yields a valid event; unknown fields are refused to catch typos early. Times are ISO 8601 strings.
 */
const candidateRef = candidate.shape.candidateRef;

export const createRequestBody = z.strictObject({
  firm: z.strictObject({ name: text(200), contact: contactPerson }),
  profile: needsProfile,
});

export const closeRequestBody = z.strictObject({
  reason: z.enum(['FULFILLED', 'WITHDRAWN']),
  note: anonymousText(500).nullable().optional(),
});

/** Erasure asks nothing but the request: `{}`. */
export const erasureBody = z.strictObject({});

export const requestIntroductionBody = z.strictObject({
  candidateRef,
  consent,
  message: text(1000).nullable().optional(),
});

export const outcomeBody = z.strictObject({
  candidateRef: candidateRef.nullable().optional(),
  outcome: z.enum(OUTCOME_KINDS),
  agreementType: z.enum(AGREEMENT_TYPES).nullable().optional(),
  summary: anonymousText(500).nullable().optional(),
});

export const proposeCandidatesBody = z.strictObject({
  candidates: z.array(candidate).min(1, 'needs at least one candidate; use /no-candidates instead').max(50),
  note: anonymousText(500).nullable().optional(),
});

export const noCandidatesBody = z.strictObject({
  reason: z.enum(NO_CANDIDATES_REASONS),
  note: anonymousText(500).nullable().optional(),
});

/** Name and contact may be left out when the candidate came from the directory, which knows both. */
export const acceptIntroductionBody = z.strictObject({
  candidateName: text(200).optional(),
  contact: contactPerson.optional(),
  consent,
  message: text(1000).nullable().optional(),
});

export const declineIntroductionBody = z.strictObject({
  reason: z.enum(DECLINE_REASONS),
  note: anonymousText(500).nullable().optional(),
});

/** Fields that are timestamps in the contract; JSON carries them as ISO 8601 strings. */
const DATE_FIELDS = new Set(['deadline', 'givenAt', 'activeFrom', 'retirePreviousAt']);
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Turns ISO strings in timestamp fields into Dates; anything else is left for the validator to judge.
 * The JSON parser has already refused deeper bodies; the depth is checked again so that a value from
 * anywhere else cannot make this walk recurse without bound.
 */
export function reviveDates(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string' && DATE_FIELDS.has(key) && ISO_8601.test(value)) return new Date(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_JSON_DEPTH) throw new BodyTooDeepError(MAX_JSON_DEPTH);
  if (Array.isArray(value)) return value.map((item) => reviveDates(item, '', depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveDates(v, k, depth + 1)]));
}

export const approveSuggestionsBody = z.strictObject({
  candidates: z
    .array(
      z.strictObject({
        companyId: z.string().min(1),
        matchScore: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
        rationale: anonymousText(500).optional(),
      }),
    )
    .min(1, 'needs at least one company; use /no-candidates instead')
    .max(50),
  note: anonymousText(500).nullable().optional(),
});

const instant = z.date({
  error: 'must be a date-time (ISO 8601 with a time zone, e.g. 2027-03-01T12:00:00Z)',
});

/** POST /keys/rotate: when the next key generation starts signing, and when the current one retires. */
export const rotateKeysBody = z.strictObject({ activeFrom: instant, retirePreviousAt: instant });
