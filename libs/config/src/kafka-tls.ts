import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseEnvironment, type Environment } from './env';

/**
 * TLS towards the brokers. `false` is plaintext (only for a broker that offers nothing else); an object
 * means TLS, verifying the broker's certificate against `caFile` (the system's trusted roots when
 * absent) and its host name. `certFile` + `keyFile` present a client certificate (mTLS).
 */
export type KafkaTlsSettings =
  false | { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };

/** How the principal proves who it is: a SCRAM password, or the client certificate's common name. */
export type KafkaAuthentication = 'sasl' | 'mtls';

export const tlsEnvironmentShape = {
  KAFKA_SSL: z.enum(['true', 'false']).optional(),
  KAFKA_SSL_CA_FILE: z.string().min(1, 'must not be empty').optional(),
  KAFKA_SSL_CERT_FILE: z.string().min(1, 'must not be empty').optional(),
  KAFKA_SSL_KEY_FILE: z.string().min(1, 'must not be empty').optional(),
  KAFKA_AUTH: z.enum(['sasl', 'mtls']).default('sasl'),
};

type TlsVariables = {
  KAFKA_SSL?: 'true' | 'false' | undefined;
  KAFKA_SSL_CA_FILE?: string | undefined;
  KAFKA_SSL_CERT_FILE?: string | undefined;
  KAFKA_SSL_KEY_FILE?: string | undefined;
  KAFKA_AUTH: KafkaAuthentication;
};

/** A broken rule, by the variable an operator has to change. */
export type TlsProblem = { variable: string; message: string };

/** Reads a PEM file the way a client will, so a bad path or content stops the start, not the first send. */
function pemProblem(file: string, kind: 'certificate' | 'key'): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
  try {
    if (kind === 'key') createPrivateKey(text);
    else new X509Certificate(text);
    return undefined;
  } catch {
    return `is not a PEM ${kind === 'key' ? 'private key' : 'certificate'}`;
  }
}

/** Every rule between the TLS variables; the first broken one is reported by the caller. */
export function tlsProblems(parsed: TlsVariables): TlsProblem[] {
  const problems: TlsProblem[] = [];
  const { KAFKA_SSL_CA_FILE: ca, KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key } = parsed;
  if (parsed.KAFKA_SSL === 'false' && (ca || cert || key)) {
    problems.push({
      variable: 'KAFKA_SSL',
      message: 'is false, but a KAFKA_SSL_*_FILE is set: remove them or set KAFKA_SSL=true',
    });
  }
  if (cert && !key)
    problems.push({ variable: 'KAFKA_SSL_KEY_FILE', message: 'is required with KAFKA_SSL_CERT_FILE' });
  if (key && !cert)
    problems.push({ variable: 'KAFKA_SSL_CERT_FILE', message: 'is required with KAFKA_SSL_KEY_FILE' });
  if (parsed.KAFKA_AUTH === 'mtls' && !cert) {
    problems.push({ variable: 'KAFKA_SSL_CERT_FILE', message: 'is required when KAFKA_AUTH=mtls' });
  }
  const files: [keyof TlsVariables, string | undefined, 'certificate' | 'key'][] = [
    ['KAFKA_SSL_CA_FILE', ca, 'certificate'],
    ['KAFKA_SSL_CERT_FILE', cert, 'certificate'],
    ['KAFKA_SSL_KEY_FILE', key, 'key'],
  ];
  for (const [variable, file, kind] of files) {
    const problem = file ? pemProblem(file, kind) : undefined;
    if (problem) problems.push({ variable, message: problem });
  }
  return problems;
}

/**
 * TLS unless KAFKA_SSL=false says otherwise: a connection set up without a word about TLS verifies the
 * broker against the system's trusted roots rather than falling back to plaintext.
 */
export function tlsSettings(parsed: TlsVariables): KafkaTlsSettings {
  const { KAFKA_SSL_CA_FILE: caFile, KAFKA_SSL_CERT_FILE: certFile, KAFKA_SSL_KEY_FILE: keyFile } = parsed;
  const enabled = parsed.KAFKA_SSL !== 'false';
  if (!enabled) return false;
  return Object.freeze({
    ...(caFile ? { caFile } : {}),
    ...(certFile ? { certFile } : {}),
    ...(keyFile ? { keyFile } : {}),
  });
}

export function tlsToEnvironment(ssl: KafkaTlsSettings, auth: KafkaAuthentication): Record<string, string> {
  return {
    KAFKA_SSL: String(ssl !== false),
    KAFKA_AUTH: auth,
    ...(ssl && ssl.caFile ? { KAFKA_SSL_CA_FILE: ssl.caFile } : {}),
    ...(ssl && ssl.certFile ? { KAFKA_SSL_CERT_FILE: ssl.certFile } : {}),
    ...(ssl && ssl.keyFile ? { KAFKA_SSL_KEY_FILE: ssl.keyFile } : {}),
  };
}

const tlsEnvironment = z.object(tlsEnvironmentShape).superRefine((parsed, context) => {
  for (const { variable, message } of tlsProblems(parsed)) {
    context.addIssue({ code: 'custom', path: [variable], message });
  }
});

/** Only the TLS part of a connection, for tools that take the rest from elsewhere (Kafka's tools). */
export function kafkaTlsFromEnvironment(env: Environment = process.env): {
  ssl: KafkaTlsSettings;
  auth: KafkaAuthentication;
} {
  const parsed = parseEnvironment(tlsEnvironment, env);
  return { ssl: tlsSettings(parsed), auth: parsed.KAFKA_AUTH };
}
