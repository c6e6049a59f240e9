import { createIntroductionKey, TrustList, type TrustListDocument } from '@passport/trust';

const key = (notBefore: string, extra: Record<string, string> = {}) => {
  const { recipient } = createIntroductionKey();
  return { keyId: recipient.keyId, publicKey: recipient.publicKey, notBefore, ...extra };
};
const document = (): TrustListDocument => ({
  version: 1,
  agencies: {
    bwi: {
      signingKeys: [
        key('2026-01-01T00:00:00Z', { retiredAt: '2026-03-01T00:00:00Z' }),
        key('2026-02-01T00:00:00Z'),
      ],
      encryptionKeys: [
        key('2026-01-01T00:00:00Z'),
        key('2026-02-01T00:00:00Z', { notAfter: '2027-01-01T00:00:00Z' }),
      ],
    },
  },
});
const invalidAt = (json: unknown) => {
  try {
    TrustList.fromDocument(json);
  } catch (error) {
    return {
      code: (error as { code: string }).code,
      path: (error as { details: { path: string } }).details.path,
    };
  }
  return undefined;
};

describe('TrustList', () => {
  it.each([
    [
      'a key id that is not the public key’s',
      (d: TrustListDocument) =>
        (d.agencies.bwi!.signingKeys[0]!.keyId = d.agencies.bwi!.signingKeys[1]!.keyId),
      'agencies.bwi.signingKeys.0.keyId',
    ],
    [
      'a public key of the wrong length',
      (d: TrustListDocument) => (d.agencies.bwi!.signingKeys[1]!.publicKey = 'A'.repeat(42)),
      'agencies.bwi.signingKeys.1.publicKey',
    ],
    [
      'a date that is not one',
      (d: TrustListDocument) => (d.agencies.bwi!.encryptionKeys[0]!.notBefore = 'yesterday'),
      'agencies.bwi.encryptionKeys.0.notBefore',
    ],
    [
      'an agency id that is not one',
      (d: TrustListDocument) => (d.agencies['BW I'] = d.agencies.bwi!),
      'agencies.BW I',
    ],
    [
      'the same key twice',
      (d: TrustListDocument) => d.agencies.bwi!.encryptionKeys.push(d.agencies.bwi!.signingKeys[0]!),
      'agencies.bwi.encryptionKeys.2.keyId',
    ],
    [
      'notAfter before notBefore',
      (d: TrustListDocument) => (d.agencies.bwi!.signingKeys[1]!.notAfter = '2025-01-01T00:00:00Z'),
      'agencies.bwi.signingKeys.1.notAfter',
    ],
  ])('refuses %s, naming the field', (_what, spoil, path) => {
    const spoilt = document();
    spoil(spoilt);
    expect(invalidAt(spoilt)).toEqual({ code: 'PASSPORT_TRUST_LIST_INVALID', path });
  });

  it('refuses text that is too large or not JSON', () => {
    expect(() => TrustList.fromText(' '.repeat(1024 * 1024 + 1))).toThrow('larger than');
    expect(() => TrustList.fromText('{')).toThrow('not JSON');
  });

  it('answers each lookup with the key or why not', () => {
    const source = document();
    const list = TrustList.fromText(JSON.stringify(source));
    const [retiring, current] = source.agencies.bwi!.signingKeys.map((entry) => entry.keyId) as [
      string,
      string,
    ];
    const at = (iso: string) => new Date(iso);
    expect(list.signingKey('bwi', retiring, at('2026-02-15T00:00:00Z')).status).toBe('valid');
    expect(list.signingKey('bwi', retiring, at('2026-03-01T00:00:00Z')).status).toBe('retired');
    expect(list.signingKey('bwi', current, at('2026-01-15T00:00:00Z')).status).toBe('not-yet-valid');
    expect(list.signingKey('aura', current, at('2026-02-15T00:00:00Z')).status).toBe('unknown');
    const encryption = source.agencies.bwi!.encryptionKeys[1]!.keyId;
    expect(list.signingKey('bwi', encryption, at('2026-02-15T00:00:00Z')).status).toBe('unknown');
    expect(list.encryptionKey('bwi', encryption, at('2027-01-02T00:00:00Z')).status).toBe('retired');
    expect(list.ownerOfSigningKey(current)).toBe('bwi');
    expect(list.ownerOfSigningKey(encryption)).toBeUndefined();
  });

  it('seals to the encryption key introduced last among the valid ones', () => {
    const source = document();
    const list = TrustList.fromDocument(source);
    const [first, second] = source.agencies.bwi!.encryptionKeys.map((entry) => entry.keyId) as [
      string,
      string,
    ];
    expect(list.encryptionKeyFor('bwi', new Date('2026-01-15T00:00:00Z'))?.keyId).toBe(first);
    expect(list.encryptionKeyFor('bwi', new Date('2026-06-01T00:00:00Z'))?.keyId).toBe(second);
    expect(list.encryptionKeyFor('bwi', new Date('2027-06-01T00:00:00Z'))?.keyId).toBe(first);
    expect(list.encryptionKeyFor('aura', new Date('2026-06-01T00:00:00Z'))).toBeUndefined();
  });
});
