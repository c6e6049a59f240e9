import { CONTENT_TYPE, NAMESPACE } from '@passport/events';
import {
  KEY_ID_LENGTH,
  MAX_SIGNATURE_HEADER_BYTES,
  RECORD_PAYLOAD_TYPE,
  SIGNATURE_HEADER,
} from '@passport/trust';

const text = (description: string, extra: Record<string, unknown> = {}) => ({
  type: 'string',
  description,
  ...extra,
});

/** The sender's signature, as libs/trust writes and verifies it (see libs/trust/DESIGN.md). */
function signatureHeader() {
  return text(
    'The sending agency\'s Ed25519 signature, compact JSON {"keyid","sig"} (base64url). DSSE v1 with a ' +
      `detached payload of type ${RECORD_PAYLOAD_TYPE}: the reader rebuilds it from the record as ` +
      'canonical JSON of the topic, the key bytes, the SHA-256 of the value bytes and every value of ' +
      'every ce_* and content-type header; partition, offset, timestamp, traceparent and dead-letter ' +
      'headers are not covered. keyid is base64url of the first 16 bytes of SHA-256 over the raw public ' +
      "key, looked up in the trust list; the key's agency must be the one named by ce_source. A consumer " +
      'verifies it before reading anything else and parks a refusal on its dead-letter topic: ' +
      'PASSPORT_SIGNATURE_MISSING, _INVALID, PASSPORT_KEY_UNKNOWN, _RETIRED, _NOT_YET_VALID, ' +
      'PASSPORT_SIGNER_MISMATCH.',
    {
      maxLength: MAX_SIGNATURE_HEADER_BYTES,
      pattern: `^\\{"keyid":"[A-Za-z0-9_-]{${KEY_ID_LENGTH}}","sig":"[A-Za-z0-9_-]{86}"\\}$`,
      contentMediaType: 'application/json',
    },
  );
}

/** The headers of every exchange record: CloudEvents binary mode, trace context and the signature. */
export function exchangeHeaders() {
  return {
    type: 'object',
    required: [
      'ce_specversion',
      'ce_id',
      'ce_source',
      'ce_type',
      'ce_time',
      'content-type',
      SIGNATURE_HEADER,
    ],
    properties: {
      ce_specversion: text('CloudEvents spec version.', { const: '1.0' }),
      ce_id: text('Event id, equal to eventId in the value.', { format: 'uuid' }),
      ce_source: text('Emitting agency as a URI reference, /passport/agencies/<id>.'),
      ce_type: text(`Event type, ${NAMESPACE}.<EventType>.v1.`),
      ce_time: text('When the event happened (RFC 3339).', { format: 'date-time' }),
      ce_subject: text('The requestId the event belongs to.', { format: 'uuid' }),
      'content-type': text('Encoding of the value.', { const: CONTENT_TYPE }),
      traceparent: text('W3C Trace Context.', { pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' }),
      [SIGNATURE_HEADER]: signatureHeader(),
    },
  };
}
