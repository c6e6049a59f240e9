import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '@passport/errors';
import { z } from 'zod';

/**
 * Passwords of the local cluster, generated on first start and kept in a git-ignored file readable by
 * its owner only. They are never printed: status shows principal names, and tools read this file.
 */
const secretsSchema = z.object({
  /** Shared by the controllers among themselves (SASL/PLAIN on the controller listener). */
  controller: z.string().min(16),
  /** SCRAM password of each principal: `admin` and one per agency id. */
  principals: z.record(z.string(), z.string().min(16)),
  /**
   * Secret of each principal's client at the registry's identity provider (Keycloak), separate from its
   * Kafka password so either can be rotated alone. Files written before the registry had one lack it.
   */
  registryClients: z.record(z.string(), z.string().min(16)).optional(),
  /** The identity provider's bootstrap admin client, which provisioning uses to set up the realm. */
  identityProviderAdmin: z.string().min(16).optional(),
});

export type ClusterSecrets = z.infer<typeof secretsSchema>;

export const ADMIN_PRINCIPAL = 'admin';

function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** A JSON file checked against its schema; errors name the variable that points at it and the field. */
function readJsonFile<T>(file: string, schema: z.ZodType<T>, variable: string, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(variable, `Cannot read ${what} ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || '(root)';
    throw new ConfigError(variable, `The ${what} ${file} is malformed at ${field}.`);
  }
  return parsed.data;
}

export function readSecrets(file: string): ClusterSecrets {
  return readJsonFile(file, secretsSchema, 'PASSPORT_SECRETS_FILE', 'cluster secrets file');
}

const principalsFileSchema = z.object({ principals: z.record(z.string(), z.string().min(1)) });

/**
 * Only the principals' passwords, from the local secrets file or from the smaller file an external
 * cluster's operator hands over (PASSPORT_PRINCIPALS_FILE: `{"principals": {"bwi": "…"}}`).
 */
export function readPrincipalPasswords(file: string): Record<string, string> {
  return readJsonFile(file, principalsFileSchema, 'PASSPORT_PRINCIPALS_FILE', 'principals file').principals;
}

/** Writes the secrets owner-only, aside and renamed, so a reader never sees half a file. */
export function writeSecrets(file: string, secrets: ClusterSecrets): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const next = `${file}.next`;
  writeFileSync(next, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(next, 0o600);
  renameSync(next, file);
}

/** Loads the secrets, adding a password for every principal that has none yet; reports which were added. */
export function ensureSecrets(
  file: string,
  principals: readonly string[],
): { secrets: ClusterSecrets; added: string[] } {
  const secrets: ClusterSecrets = existsSync(file)
    ? readSecrets(file)
    : { controller: newPassword(), principals: {} };
  const added = principals.filter((name) => !secrets.principals[name]);
  for (const name of added) secrets.principals[name] = newPassword();
  const clients = (secrets.registryClients ??= {});
  const newClients = principals.filter((name) => !clients[name]);
  for (const name of newClients) clients[name] = newPassword();
  const newAdmin = !secrets.identityProviderAdmin;
  if (newAdmin) secrets.identityProviderAdmin = newPassword();
  if (added.length > 0 || newClients.length > 0 || newAdmin || !existsSync(file)) {
    writeSecrets(file, secrets);
  }
  return { secrets, added };
}
