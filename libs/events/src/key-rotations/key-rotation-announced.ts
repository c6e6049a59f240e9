import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/** A rotation statement is a few hundred bytes; the trust library refuses more than this. */
export const MAX_ROTATION_STATEMENT_CHARS = 4096;

/**
 * An agency announces its next key generation with a rotation statement (libs/trust): its current
 * signing key and the next one both sign it, so no operator is needed. The statement is carried as
 * opaque text; the consumer checks it against its trust list (and that it names the agency whose
 * signature the record bears) before it changes anything. Key rotations belong to no request: the
 * event's requestId is the rotation's own id. No personal data: agency id, key ids, public keys, dates.
 */
export const keyRotationAnnounced = defineEvent({
  type: 'KeyRotationAnnounced',
  topic: TOPICS.keyRotations,
  schemaFile: 'key-rotations/KeyRotationAnnounced.avsc',
  payload: z.object({
    statement: z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_ROTATION_STATEMENT_CHARS, `must be at most ${MAX_ROTATION_STATEMENT_CHARS} characters`),
  }),
});

export type KeyRotationAnnounced = EventOf<typeof keyRotationAnnounced>;
export type KeyRotationAnnouncedInput = EventInput<typeof keyRotationAnnounced>;
