import { TOPICS } from '@passport/config';
import { topicNames, type RangeMessage } from '@passport/streams';
import { SIGNATURE_HEADER } from '@passport/trust';
import { verdictOf, verdictText } from '@passport/console/verdict';
import { signAs, testTrust } from '../../../support/test-trust';

const topics = topicNames('.unit');
const topic = topics.actual(TOPICS.cooperationRequests);

/** A record as readRange hands it over: raw bytes as the broker returned them, text headers flattened. */
function asRead(raw: {
  key: Buffer;
  value: Buffer;
  headers: Record<string, Buffer | Buffer[]>;
}): RangeMessage {
  const headers = Object.fromEntries(
    Object.entries(raw.headers).map(([name, value]) => [
      name,
      (Array.isArray(value) ? value[0] : value)!.toString(),
    ]),
  );
  return {
    topic,
    partition: 0,
    offset: '0',
    timestamp: String(Date.now()),
    key: raw.key.toString(),
    value: raw.value,
    headers,
    raw: { key: raw.key, headers: raw.headers },
  };
}

async function signedRecord() {
  const trust = await testTrust();
  const message = signAs(trust, 'bwi', topic, {
    key: 'req-1',
    value: Buffer.from('value'),
    headers: { ce_id: 'e1', ce_source: '/passport/agencies/bwi', ce_type: 't' },
  });
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [name, Buffer.from(String(value))]),
  );
  return { trust, key: Buffer.from('req-1'), value: message.value, headers };
}

describe('the console verdict of a record', () => {
  it('is ok with the signer and key id for a record signed by its source', async () => {
    const { trust, ...raw } = await signedRecord();
    const verdict = verdictOf(asRead(raw), trust.trustList, { topics });
    expect(verdict).toEqual({
      signer: 'bwi',
      keyId: trust.keys.bwi!.current().signingKeyId,
      verdict: 'ok',
      detail: null,
    });
    expect(verdictText(verdict)).toBe(`signed by bwi (key ${verdict.keyId}): ok`);
  });

  it('sees what flattened text headers hide: a repeated signature or CloudEvents header', async () => {
    const { trust, ...raw } = await signedRecord();
    const signature = raw.headers[SIGNATURE_HEADER] as Buffer;
    const twice = { ...raw, headers: { ...raw.headers, [SIGNATURE_HEADER]: [signature, signature] } };
    expect(verdictOf(asRead(twice), trust.trustList, { topics }).verdict).toBe('PASSPORT_SIGNATURE_INVALID');
    const extraType = {
      ...raw,
      headers: { ...raw.headers, ce_type: [Buffer.from('t'), Buffer.from('other')] },
    };
    expect(verdictOf(asRead(extraType), trust.trustList, { topics }).verdict).toBe(
      'PASSPORT_SIGNATURE_INVALID',
    );
  });

  it('names the claimed signer of a refused record, and no key when the header is missing', async () => {
    const { trust, ...raw } = await signedRecord();
    const tampered = verdictOf(asRead({ ...raw, value: Buffer.from('other') }), trust.trustList, { topics });
    expect(tampered).toMatchObject({ signer: 'bwi', verdict: 'PASSPORT_SIGNATURE_INVALID' });
    const { [SIGNATURE_HEADER]: _dropped, ...unsigned } = raw.headers;
    const missing = verdictOf(asRead({ ...raw, headers: unsigned }), trust.trustList, { topics });
    expect(missing).toMatchObject({ signer: null, keyId: null, verdict: 'PASSPORT_SIGNATURE_MISSING' });
    expect(verdictText(missing)).toMatch(/^no valid signature: PASSPORT_SIGNATURE_MISSING /);
  });
});
