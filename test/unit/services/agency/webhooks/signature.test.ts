import { sign, verify } from '../../../../../services/agency/src/webhooks/signature';

describe('webhook signatures', () => {
  const secret = 'a-long-shared-secret-of-the-back-office';
  const body = '{"id":1,"kind":"request.acknowledged"}';

  it('verify what was signed, within the time tolerance', () => {
    expect(verify(secret, body, sign(secret, body, 1_800_000_000), 1_800_000_100)).toBe(true);
  });

  it('refuse another body, another secret, an old timestamp and a malformed header', () => {
    const header = sign(secret, body, 1_800_000_000);
    expect(verify(secret, `${body} `, header, 1_800_000_000)).toBe(false);
    expect(verify('another-secret-entirely-here', body, header, 1_800_000_000)).toBe(false);
    expect(verify(secret, body, header, 1_800_000_000 + 301)).toBe(false);
    expect(verify(secret, body, 'v1=abc', 1_800_000_000)).toBe(false);
    expect(verify(secret, body, undefined, 1_800_000_000)).toBe(false);
  });
});
