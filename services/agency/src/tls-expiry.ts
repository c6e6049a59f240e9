import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionSettings } from '@passport/config';
import type { Metrics } from './metrics';

/**
 * The certificate files of a connection, under the label values the expiry alert names: the broker's CA,
 * the client certificate (mTLS) and the registry's CA (often the same file as the broker's; it is
 * named under both labels so an alert says which connection would break).
 */
export function connectionCertificateFiles(connection: ConnectionSettings): Record<string, string> {
  const { ssl, registry } = connection;
  return {
    ...(ssl && ssl.caFile ? { 'kafka-ca': ssl.caFile } : {}),
    ...(ssl && ssl.certFile ? { 'kafka-client': ssl.certFile } : {}),
    ...(registry.caFile ? { 'registry-ca': registry.caFile } : {}),
  };
}

/**
 * Publishes each certificate's notAfter. The clients read their files once at start, so the value at
 * start is the one in use; a renewed file takes effect (and shows here) after a restart. Of a bundle,
 * the first certificate counts: for a CA file that is the CA, for a client file the leaf.
 */
export function recordCertificateExpiry(metrics: Metrics, files: Record<string, string>): void {
  for (const [file, path] of Object.entries(files)) {
    const notAfter = Date.parse(new X509Certificate(readFileSync(path)).validTo);
    metrics.tlsCertificateExpiry.set({ file }, Math.floor(notAfter / 1000));
  }
}
