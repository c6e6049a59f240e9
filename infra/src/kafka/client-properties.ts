import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaTlsSettings } from '@passport/config';

/** What a Java client needs to log in: a SCRAM password, a client certificate over TLS, or both. */
export interface JavaClientCredentials {
  principal: string;
  /** Absent for a principal that authenticates with its certificate (mTLS). */
  password?: string;
  tls: KafkaTlsSettings;
}

function writeOwnerOnly(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  // The mode above applies only when the file is created; one left by an older run is tightened here.
  chmodSync(file, 0o600);
}

function securityProtocol(credentials: JavaClientCredentials): string {
  if (!credentials.tls) return 'SASL_PLAINTEXT';
  return credentials.password === undefined ? 'SSL' : 'SASL_SSL';
}

/** Java's PEM key store reads the key and its certificate from one file. */
function tlsLines(runDir: string, credentials: JavaClientCredentials): string[] {
  const { tls } = credentials;
  if (!tls) return [];
  const lines = ['ssl.endpoint.identification.algorithm=https'];
  if (tls.caFile) lines.push('ssl.truststore.type=PEM', `ssl.truststore.location=${tls.caFile}`);
  if (tls.certFile && tls.keyFile) {
    const keyStore = join(runDir, `client-${credentials.principal}.keystore.pem`);
    const parts = [tls.keyFile, tls.certFile].map((file) => readFileSync(file, 'utf8').trim());
    writeOwnerOnly(keyStore, `${parts.join('\n')}\n`);
    lines.push('ssl.keystore.type=PEM', `ssl.keystore.location=${keyStore}`);
  }
  return lines;
}

/**
 * A Java client properties file for one principal, for Kafka's own tools. It may hold a password, so it
 * is written owner-only inside the profile's run folder and rewritten on each use.
 */
export function writeClientProperties(runDir: string, credentials: JavaClientCredentials): string {
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const file = join(runDir, `client-${credentials.principal}.properties`);
  const lines = [`security.protocol=${securityProtocol(credentials)}`, ...tlsLines(runDir, credentials)];
  if (credentials.password !== undefined) {
    const escaped = credentials.password.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    lines.push(
      'sasl.mechanism=SCRAM-SHA-512',
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${credentials.principal}" password="${escaped}";`,
    );
  }
  writeOwnerOnly(file, `${lines.join('\n')}\n`);
  return file;
}
