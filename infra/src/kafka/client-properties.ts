import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A Java client properties file for one principal, for Kafka's own tools. It holds a password, so it is
 * written owner-only inside the profile's run folder and rewritten on each use.
 */
export function writeClientProperties(runDir: string, principal: string, password: string): string {
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const file = join(runDir, `client-${principal}.properties`);
  const escaped = password.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const lines = [
    'security.protocol=SASL_PLAINTEXT',
    'sasl.mechanism=SCRAM-SHA-512',
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${principal}" password="${escaped}";`,
  ];
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  // The mode above applies only when the file is created; one left by an older run is tightened here.
  chmodSync(file, 0o600);
  return file;
}
