import type { ConnectionSettings } from '@passport/config';
import { bootstrapServers, mtlsBootstrapServers, registryUrl, type InfraProfile } from './profile';
import { ADMIN_PRINCIPAL, type ClusterSecrets } from './cluster-secrets';
import { caCertificateFile, issueCertificate } from './tls/local-ca';

export interface LocalConnectionOptions {
  /** `mtls`: the principal presents a certificate issued to it by the profile's CA, no password. */
  auth?: 'sasl' | 'mtls';
}

/** File name of a principal's client certificate; its common name is the principal itself. */
export function clientCertificateName(principal: string): string {
  return `client-${principal}`;
}

/**
 * How to reach a local profile as `principal` (the admin unless told otherwise), over TLS trusting the
 * profile's CA, with its own client at the registry's identity provider (an agency's connection can
 * only read schemas). Over mTLS the principal's client certificate is issued on first use.
 */
export function localConnection(
  profile: InfraProfile,
  secrets: ClusterSecrets,
  principal = ADMIN_PRINCIPAL,
  options: LocalConnectionOptions = {},
): ConnectionSettings {
  const password = secrets.principals[principal];
  const registrySecret = secrets.registryClients?.[principal];
  if (!password || !registrySecret)
    throw new Error(
      `No local credentials for principal ${principal}; is it in the agency list, and has infra:up run since?`,
    );
  const caFile = caCertificateFile(profile);
  const registry = Object.freeze({
    url: registryUrl(profile),
    username: principal,
    password: registrySecret,
    caFile,
  });
  if (options.auth === 'mtls') {
    const issued = issueCertificate(profile, clientCertificateName(principal), 'client', {}, principal);
    return Object.freeze({
      brokers: Object.freeze(mtlsBootstrapServers(profile)),
      ssl: Object.freeze({ caFile, certFile: issued.certFile, keyFile: issued.keyFile }),
      registry,
    });
  }
  return Object.freeze({
    brokers: Object.freeze(bootstrapServers(profile)),
    sasl: Object.freeze({ mechanism: 'scram-sha-512' as const, username: principal, password }),
    ssl: Object.freeze({ caFile }),
    registry,
  });
}
