import { SignatureRefusedError } from '@passport/errors';
import { cloudEventSource } from '@passport/events';
import type { RecordSigner } from './agency-keys';
import { signedBytes, singleHeaderText, type KafkaRecord, type RecordHeaders } from './record-payload';
import { formatSignatureHeader, SIGNATURE_HEADER } from './signature-header';

/**
 * The record's headers plus its signature header, signed by `signer`'s active key. Refuses a record
 * whose ce_source names another agency: a service never speaks for someone else.
 */
export function signRecord(record: KafkaRecord, signer: RecordSigner): RecordHeaders {
  const source = singleHeaderText(record.headers, 'ce_source');
  if (source !== cloudEventSource(signer.agencyId))
    throw new SignatureRefusedError(
      'PASSPORT_SIGNER_MISMATCH',
      `refusing to sign as ${signer.agencyId} a record whose ce_source is not ${cloudEventSource(signer.agencyId)}`,
    );
  const { [SIGNATURE_HEADER]: _replaced, ...headers } = record.headers ?? {};
  const { keyId, signature } = signer.sign(signedBytes(record));
  return { ...headers, [SIGNATURE_HEADER]: formatSignatureHeader(keyId, signature) };
}
