import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { KeyStoreCorruptError } from '@passport/errors';
import { importRecipientKey, type HpkeRecipientKey } from './hpke-suite';
import { fromBase64url, keyIdOf, rawPublicKeyOf } from './key-id';

/** What anyone may know of one generation of an agency's keys: ids, public keys, when it signs. */
export interface KeyGenerationInfo {
  generation: number;
  createdAt: Date;
  /** Signing with this generation starts here; partners must have its keys in their trust lists by then. */
  activeFrom: Date;
  signingKeyId: string;
  /** Raw Ed25519 public key, base64url. */
  signingPublicKey: string;
  encryptionKeyId: string;
  /** Raw X25519 public key, base64url. */
  encryptionPublicKey: string;
}

/** One generation with its private halves; stays inside this library. */
export interface LoadedGeneration {
  info: KeyGenerationInfo;
  signingKey: KeyObject;
  recipientKey: HpkeRecipientKey;
}

const FORMAT = 'passport-agency-keys/1';

const generationFileSchema = z
  .object({
    format: z.literal(FORMAT),
    agencyId: z.string().max(64),
    generation: z.number().int().min(1).max(9999),
    createdAt: z.iso.datetime(),
    activeFrom: z.iso.datetime(),
    /** PKCS#8 DER, base64url. */
    signingKey: z.string().max(256),
    encryptionKey: z.string().max(256),
  })
  .strict();

/** A fresh Ed25519 + X25519 pair as the text of a generation file. */
export function newGenerationFile(agencyId: string, generation: number, now: Date, activeFrom: Date): string {
  const pkcs8 = (key: KeyObject) => key.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
  const document: z.infer<typeof generationFileSchema> = {
    format: FORMAT,
    agencyId,
    generation,
    createdAt: now.toISOString(),
    activeFrom: activeFrom.toISOString(),
    signingKey: pkcs8(generateKeyPairSync('ed25519').privateKey),
    encryptionKey: pkcs8(generateKeyPairSync('x25519').privateKey),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Parses a generation file; anything unexpected is corrupt, named by file and field, never guessed at. */
export async function parseGenerationFile(
  file: string,
  text: string,
  expected: { agencyId: string; generation: number },
): Promise<LoadedGeneration> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KeyStoreCorruptError(file, `the key file ${file} is not JSON`, { cause: error });
  }
  const parsed = generationFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    throw new KeyStoreCorruptError(file, `the key file ${file} is invalid at ${field}: ${issue?.message}`, {
      details: { field },
    });
  }
  const document = parsed.data;
  if (document.agencyId !== expected.agencyId)
    throw new KeyStoreCorruptError(
      file,
      `the key file ${file} is invalid at agencyId: it is ${document.agencyId}'s, not ${expected.agencyId}'s`,
      {
        details: { field: 'agencyId' },
      },
    );
  if (document.generation !== expected.generation)
    throw new KeyStoreCorruptError(
      file,
      `the key file ${file} is invalid at generation: it says ${document.generation}`,
      {
        details: { field: 'generation' },
      },
    );
  const signingKey = privateKey(file, 'signingKey', document.signingKey, 'ed25519');
  const encryptionKey = privateKey(file, 'encryptionKey', document.encryptionKey, 'x25519');
  const signingPublic = rawPublicKeyOf(signingKey);
  const encryptionPublic = rawPublicKeyOf(encryptionKey);
  const pkcs8 = encryptionKey.export({ format: 'der', type: 'pkcs8' });
  return {
    info: {
      generation: document.generation,
      createdAt: new Date(document.createdAt),
      activeFrom: new Date(document.activeFrom),
      signingKeyId: keyIdOf(signingPublic),
      signingPublicKey: signingPublic.toString('base64url'),
      encryptionKeyId: keyIdOf(encryptionPublic),
      encryptionPublicKey: encryptionPublic.toString('base64url'),
    },
    signingKey,
    recipientKey: await importRecipientKey(pkcs8, encryptionPublic),
  };
}

function privateKey(file: string, field: string, text: string, type: 'ed25519' | 'x25519'): KeyObject {
  const der = fromBase64url(text);
  let key: KeyObject | undefined;
  try {
    if (der !== undefined) key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    key = undefined;
  }
  if (key?.asymmetricKeyType !== type)
    throw new KeyStoreCorruptError(
      file,
      `the key file ${file} is invalid at ${field}: not a PKCS#8 ${type} key`,
      {
        details: { field },
      },
    );
  return key;
}
