import { createHmac, timingSafeEqual } from 'node:crypto';
import { sign, verify } from '@passport/agency-service/webhooks/signature';

const secret = 'a-long-shared-secret-of-the-back-office';
const signed = {
  delivery: '42',
  kind: 'request.acknowledged',
  body: '{"id":42,"kind":"request.acknowledged"}',
};

/**
 * A back office's own check, written from the README's description alone (no code of the service):
 * HMAC-SHA256 over "<t>.<X-Passport-Delivery>.<X-Passport-Kind>.<raw body>", hex, as `v2`.
 */
function backOfficeAccepts(headers: Record<string, string>, rawBody: string, nowSeconds: number): boolean {
  const fields = new Map(
    headers['x-passport-signature']?.split(',').map((f) => f.split('=') as [string, string]),
  );
  const t = fields.get('t') ?? '';
  const given = Buffer.from(fields.get('v2') ?? '', 'hex');
  const expected = createHmac('sha256', secret)
    .update(`${t}.${headers['x-passport-delivery']}.${headers['x-passport-kind']}.${rawBody}`)
    .digest();
  return (
    Math.abs(nowSeconds - Number(t)) <= 300 &&
    given.length === expected.length &&
    timingSafeEqual(given, expected)
  );
}

describe('webhook signatures', () => {
  const now = 1_800_000_000;

  it('verify what was signed, within the time tolerance', () => {
    expect(verify(secret, signed, sign(secret, signed, now), now + 100)).toBe(true);
  });

  it('are checked by a back office from the documented scheme', () => {
    const headers = {
      'x-passport-delivery': signed.delivery,
      'x-passport-kind': signed.kind,
      'x-passport-signature': sign(secret, signed, now),
    };
    expect(backOfficeAccepts(headers, signed.body, now + 5)).toBe(true);
    expect(backOfficeAccepts({ ...headers, 'x-passport-delivery': '43' }, signed.body, now + 5)).toBe(false);
  });

  it('refuse another delivery id, kind, body or secret, an old timestamp and a malformed header', () => {
    const header = sign(secret, signed, now);
    expect(verify(secret, { ...signed, delivery: '43' }, header, now)).toBe(false);
    expect(verify(secret, { ...signed, kind: 'introduction.accepted' }, header, now)).toBe(false);
    expect(verify(secret, { ...signed, body: `${signed.body} ` }, header, now)).toBe(false);
    expect(verify('another-secret-entirely-here', signed, header, now)).toBe(false);
    expect(verify(secret, signed, header, now + 301)).toBe(false);
    expect(verify(secret, signed, header.replace('v2=', 'v1='), now)).toBe(false);
    expect(verify(secret, signed, 'v2=abc', now)).toBe(false);
    expect(verify(secret, signed, undefined, now)).toBe(false);
  });

  it('no longer let the delivery id be moved to another call: the id is signed', () => {
    // Under v1 only "<t>.<body>" was signed; a captured call replayed with a fresh X-Passport-Delivery
    // passed a receiver that deduplicates by that header.
    const header = sign(secret, signed, now);
    const replayed = { ...signed, delivery: '999' };
    expect(verify(secret, replayed, header, now)).toBe(false);
  });
});
