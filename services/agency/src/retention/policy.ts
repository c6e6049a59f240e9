import { ConfigError } from '@passport/errors';
import { z } from 'zod';

export const DAY_MS = 24 * 60 * 60 * 1000;

const days = (fallback: number) => z.coerce.number().min(1, 'must be at least 1 (day)').default(fallback);

/**
 * Ages in days after which rows are pruned. The defaults and why they keep the service's promises are
 * in the README ("Retention"). `PROCESSED_EVENT_RETENTION_DAYS` is the one whose default must not
 * shrink casually: a dedupe id pruned while its event can still be read again would let it apply twice.
 */
export const retentionEnvironment = z.object({
  RETENTION_CHECK_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(3_600_000),
  OUTBOX_RETENTION_DAYS: days(7),
  // The longest topic retention (outcomes, 5 years = 1,825 days) plus 40 days for the broker deleting
  // whole segments only once their newest message has expired: no event a consumer group can still be
  // moved back to (`passport replay`) finds its id gone.
  PROCESSED_EVENT_RETENTION_DAYS: days(1_865),
  IDEMPOTENCY_KEY_RETENTION_DAYS: days(7),
  FEED_RETENTION_DAYS: days(30),
  PERSONAL_DATA_RETENTION_DAYS: days(90),
});

export interface RetentionPolicy {
  readonly checkMs: number;
  /** Outbox rows and queued dead letters, counted from their confirmation (read back from the topic). */
  readonly outboxMs: number;
  readonly processedEventMs: number;
  readonly idempotencyKeyMs: number;
  /** Feed entries, and webhook deliveries acknowledged that long ago; pending ones are never pruned. */
  readonly feedMs: number;
  /** After the request closed: firm and contact persons of own requests and of introductions. */
  readonly personalDataMs: number;
}

/**
 * The feed and the outbox hold copies of introduction contacts (notification bodies, published events),
 * so neither may outlive the personal-data bound: that would keep a copy after the original is erased.
 */
export function retentionPolicy(parsed: z.infer<typeof retentionEnvironment>): RetentionPolicy {
  for (const variable of ['FEED_RETENTION_DAYS', 'OUTBOX_RETENTION_DAYS'] as const) {
    if (parsed[variable] > parsed.PERSONAL_DATA_RETENTION_DAYS)
      throw new ConfigError(
        variable,
        `Environment variable ${variable} is invalid: ${parsed[variable]} days exceeds PERSONAL_DATA_RETENTION_DAYS (${parsed.PERSONAL_DATA_RETENTION_DAYS}); its rows hold copies of contact persons.`,
      );
  }
  return Object.freeze({
    checkMs: parsed.RETENTION_CHECK_MS,
    outboxMs: parsed.OUTBOX_RETENTION_DAYS * DAY_MS,
    processedEventMs: parsed.PROCESSED_EVENT_RETENTION_DAYS * DAY_MS,
    idempotencyKeyMs: parsed.IDEMPOTENCY_KEY_RETENTION_DAYS * DAY_MS,
    feedMs: parsed.FEED_RETENTION_DAYS * DAY_MS,
    personalDataMs: parsed.PERSONAL_DATA_RETENTION_DAYS * DAY_MS,
  });
}
