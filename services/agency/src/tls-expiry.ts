import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionSettings } from '@passport/config';
import type { Metrics } from './metrics';

/** The certificate files of a connection, under the label values the expiry alert names. */
export function kafkaCertificateFiles(connection: ConnectionSettings): Record<string, string> {
  const { ssl } = connection;
  if (!ssl) return {};
  return {
    ...(ssl.caFile ? { 'kafka-ca': ssl.caFile } : {}),
    ...(ssl.certFile ? { 'kafka-client': ssl.certFile } : {}),
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
