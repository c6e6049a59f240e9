import fc from 'fast-check';
import {
  createIntroductionKey,
  introductionKeyOpener,
  MAX_SEALED_LENGTH,
  MAX_SEALED_PLAINTEXT_BYTES,
  openSealed,
  sealedRecipientKeyId,
  sealFor,
  type AgencyKeys,
  type SealContext,
  type SealRecipient,
} from '@passport/trust';
import { agencyKeys, manualClock, temporaryFolder } from './trust-fixtures';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keys: Record<string, AgencyKeys>;
let aura: SealRecipient;

beforeAll(async () => {
  folder = await temporaryFolder();
  keys = await agencyKeys(folder.dir, ['aura', 'promos'], manualClock().now);
  const current = keys.aura!.current();
  aura = { keyId: current.encryptionKeyId, publicKey: current.encryptionPublicKey };
});
afterAll(() => folder.cleanup());

const context: SealContext = {
  eventId: '0190f7a2-0000-7000-8000-000000000001',
  eventType: 'IntroductionRequested',
  requestId: 'req-0001',
  field: 'firmContact',
};
const contact = JSON.stringify({ name: 'Erika Mustermann', email: 'erika@example.eu' });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'opened',
    (error: { code: string }) => error.code,
  );

describe('sealFor / openSealed', () => {
  it('opens for the addressed agency, and the compact form shows only the recipient key id', async () => {
    const sealed = await sealFor(aura, contact, context);
    expect(sealed).toMatch(/^ps1\.[\w-]{22}\.[\w-]{43}\.[\w-]+$/);
    expect(sealedRecipientKeyId(sealed)).toBe(aura.keyId);
    expect(sealed).not.toContain('Erika');
    expect((await openSealed(sealed, context, keys.aura!)).toString()).toBe(contact);
  });

  it('seals the same plaintext differently each time', async () => {
    expect(await sealFor(aura, contact, context)).not.toBe(await sealFor(aura, contact, context));
  });

  it('cannot be opened by another agency', async () => {
    const sealed = await sealFor(aura, contact, context);
    expect(await codeOf(openSealed(sealed, context, keys.promos!))).toBe('PASSPORT_SEAL_KEY_UNAVAILABLE');
  });

  it.each(['eventId', 'eventType', 'requestId', 'field'] as const)(
    'cannot be moved into an event with another %s',
    async (part) => {
      const sealed = await sealFor(aura, contact, context);
      const moved = { ...context, [part]: `${context[part]}2` };
      expect(await codeOf(openSealed(sealed, moved, keys.aura!))).toBe('PASSPORT_SEAL_INVALID');
    },
  );

  it.each([
    ['enc', 2],
    ['ciphertext', 3],
  ])('refuses a changed %s', async (_part, index) => {
    const parts = (await sealFor(aura, contact, context)).split('.');
    const bytes = Buffer.from(parts[index]!, 'base64url');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    parts[index] = bytes.toString('base64url');
    expect(await codeOf(openSealed(parts.join('.'), context, keys.aura!))).toBe('PASSPORT_SEAL_INVALID');
  });

  it.each([
    ['too long', () => `ps1.${'A'.repeat(MAX_SEALED_LENGTH)}`],
    ['another version', (s: string) => s.replace(/^ps1/, 'ps2')],
    ['a part missing', (s: string) => s.split('.').slice(0, 3).join('.')],
    ['a part too many', (s: string) => `${s}.AA`],
    ['not base64url', (s: string) => s.replace(/\.[\w-]{43}\./, `.${'+'.repeat(43)}.`)],
    ['a short key id', (s: string) => s.replace(/^ps1\.[\w-]{22}/, 'ps1.AAAA')],
    ['a ciphertext shorter than its tag', (s: string) => s.replace(/\.[\w-]+$/, '.AAAA')],
  ])('refuses a sealed field with %s before opening it', async (_what, mangle) => {
    const sealed = mangle(await sealFor(aura, contact, context));
    await expect(openSealed(sealed, context, keys.aura!)).rejects.toMatchObject({
      code: 'PASSPORT_SEAL_INVALID',
    });
  });

  it('refuses a recipient whose key id does not name its key, an oversized plaintext and an empty context field', async () => {
    const other = keys.promos!.current();
    await expect(sealFor({ ...aura, keyId: other.encryptionKeyId }, contact, context)).rejects.toMatchObject({
      code: 'PASSPORT_SEAL_INVALID',
      details: { field: 'recipient' },
    });
    await expect(sealFor(aura, 'x'.repeat(MAX_SEALED_PLAINTEXT_BYTES + 1), context)).rejects.toMatchObject({
      details: { field: 'plaintext' },
    });
    await expect(sealFor(aura, contact, { ...context, requestId: '' })).rejects.toMatchObject({
      code: 'PASSPORT_SEAL_INVALID',
      details: { field: 'requestId' },
    });
  });

  it('property: any plaintext within the limit opens to itself in its own event only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        async (plaintext, eventId) => {
          const own = { ...context, eventId };
          const sealed = await sealFor(aura, plaintext, own);
          expect(new Uint8Array(await openSealed(sealed, own, keys.aura!))).toEqual(plaintext);
          expect(await codeOf(openSealed(sealed, { ...own, eventId: `${eventId}.` }, keys.aura!))).toBe(
            'PASSPORT_SEAL_INVALID',
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('introduction keys (erasure)', () => {
  it('opens what was sealed to the announced key until the stored blob is deleted', async () => {
    const introduction = createIntroductionKey();
    expect(JSON.stringify(introduction.recipient)).not.toContain(introduction.privateKeyBlob.slice(5));
    const sealed = await sealFor(introduction.recipient, contact, context);

    const opener = await introductionKeyOpener(introduction.privateKeyBlob);
    expect(opener.keyId).toBe(introduction.recipient.keyId);
    expect((await openSealed(sealed, context, opener)).toString()).toBe(contact);
    // The agency's long-term key does not open it: erasing the blob leaves nothing that does.
    expect(await codeOf(openSealed(sealed, context, keys.aura!))).toBe('PASSPORT_SEAL_KEY_UNAVAILABLE');
    const otherIntroduction = await introductionKeyOpener(createIntroductionKey().privateKeyBlob);
    expect(await codeOf(openSealed(sealed, context, otherIntroduction))).toBe(
      'PASSPORT_SEAL_KEY_UNAVAILABLE',
    );
  });

  it.each(['', 'pik1.', 'pik1.AAAA', `pik1.${'A'.repeat(200)}`, 'pk1.MC4CAQAwBQYDK2VuBCIEIA'])(
    'refuses a corrupt blob %#',
    async (blob) => {
      await expect(introductionKeyOpener(blob)).rejects.toMatchObject({ code: 'PASSPORT_KEY_STORE_CORRUPT' });
    },
  );
});
