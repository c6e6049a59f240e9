import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraProfile } from '../profile';

/**
 * A private certificate authority per local profile, and the certificates it issues to the broker, the
 * registry and (for mTLS) to principals. Everything is made with the `openssl` command line, kept in
 * `<profile home>/tls` (owner-only), and reused across starts until it nears its end of validity.
 *
 * Keys are EC P-256 in PKCS#8 PEM: read as they are by Node's TLS, by Kafka's PEM key stores and by
 * Quarkus (the registry, the identity provider), so no Java key store has to be built.
 */
export interface IssuedCertificate {
  /** The certificate alone (PEM). */
  certFile: string;
  /** Its private key (PKCS#8 PEM), owner-only. */
  keyFile: string;
  /** Private key, certificate and CA certificate in one file: what Kafka's PEM key store reads. */
  keyStoreFile: string;
}

export interface SubjectAlternativeNames {
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

export type CertificateUse = 'server' | 'client';

/** Certificates are issued again this long before they expire, so a running profile never meets expiry. */
const RENEW_BEFORE_MS = 30 * 24 * 3_600_000;
const CA_DAYS = 825;
const LEAF_DAYS = 397;
/** Loopback under both names: what every local client dials. */
export const LOOPBACK_NAMES: SubjectAlternativeNames = {
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
};

export const tlsDir = (profile: InfraProfile) => join(profile.homeDir, 'tls');
export const caCertificateFile = (profile: InfraProfile) => join(tlsDir(profile), 'ca.pem');
const caKeyFile = (profile: InfraProfile) => join(tlsDir(profile), 'ca.key');

function openssl(args: readonly string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`openssl ${args[0]} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}

function ownerOnly(file: string): void {
  chmodSync(file, 0o600);
}

function isCurrent(certFile: string, now = Date.now()): boolean {
  if (!existsSync(certFile)) return false;
  const certificate = new X509Certificate(readFileSync(certFile));
  return Date.parse(certificate.validTo) - now > RENEW_BEFORE_MS;
}

function keyGeneration(keyFile: string): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile];
}

/** Creates the profile's CA on first use (or when it nears expiry) and returns its certificate file. */
export function ensureLocalCa(profile: InfraProfile): string {
  const dir = tlsDir(profile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const certFile = caCertificateFile(profile);
  if (isCurrent(certFile) && existsSync(caKeyFile(profile))) return certFile;
  // A new CA invalidates whatever the old one signed: those certificates are issued again on use.
  for (const stale of ['ca.pem', 'ca.key', 'ca.srl']) rmSync(join(dir, stale), { force: true });
  openssl(
    [
      'req',
      '-x509',
      ...keyGeneration(caKeyFile(profile)),
      '-out',
      certFile,
      '-days',
      String(CA_DAYS),
      '-subj',
      `/O=Business Passport exchange/CN=Local CA (${profile.name} profile)`,
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  ownerOnly(caKeyFile(profile));
  // The CA certificate is public: clients of every principal read it.
  chmodSync(certFile, 0o644);
  return certFile;
}

function sanExtension(names: SubjectAlternativeNames): string {
  const entries = [
    ...(names.dnsNames ?? []).map((name) => `DNS:${name}`),
    ...(names.ipAddresses ?? []).map((address) => `IP:${address}`),
  ];
  return entries.length > 0 ? `subjectAltName=${entries.join(',')}\n` : '';
}

function wasIssuedBy(certFile: string, caFile: string): boolean {
  const certificate = new X509Certificate(readFileSync(certFile));
  return certificate.checkIssued(new X509Certificate(readFileSync(caFile)));
}

/**
 * A certificate signed by the profile's CA, named `name` in the TLS folder. Server certificates carry
 * the host names clients verify; client certificates carry the principal as their common name
 * (`commonName`, the file name unless told otherwise).
 * Issued again when missing, near expiry, or signed by an earlier CA.
 */
export function issueCertificate(
  profile: InfraProfile,
  name: string,
  use: CertificateUse,
  names: SubjectAlternativeNames = LOOPBACK_NAMES,
  commonName: string = name,
): IssuedCertificate {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) throw new Error(`invalid certificate name: ${name}`);
  // The common name goes into openssl's -subj, where '/', '=' and ',' would start other fields.
  if (!/^[A-Za-z0-9][\w.-]{0,63}$/.test(commonName)) throw new Error(`invalid common name: ${commonName}`);
  const caFile = ensureLocalCa(profile);
  const dir = tlsDir(profile);
  const issued: IssuedCertificate = {
    certFile: join(dir, `${name}.pem`),
    keyFile: join(dir, `${name}.key`),
    keyStoreFile: join(dir, `${name}.keystore.pem`),
  };
  if (isCurrent(issued.certFile) && wasIssuedBy(issued.certFile, caFile) && existsSync(issued.keyStoreFile)) {
    return issued;
  }
  const requestFile = join(dir, `${name}.csr`);
  const extensionsFile = join(dir, `${name}.ext`);
  openssl(
    [
      'req',
      '-new',
      ...keyGeneration(issued.keyFile),
      '-out',
      requestFile,
      '-subj',
      `/O=Business Passport exchange/CN=${commonName}`,
    ],
    dir,
  );
  ownerOnly(issued.keyFile);
  writeFileSync(
    extensionsFile,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${use === 'server' ? 'serverAuth' : 'clientAuth'}`,
      sanExtension(names),
    ].join('\n'),
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      requestFile,
      '-CA',
      caFile,
      '-CAkey',
      caKeyFile(profile),
      '-CAcreateserial',
      '-out',
      issued.certFile,
      '-days',
      String(LEAF_DAYS),
      '-extfile',
      extensionsFile,
    ],
    dir,
  );
  rmSync(requestFile, { force: true });
  rmSync(extensionsFile, { force: true });
  const keyStore = [issued.keyFile, issued.certFile, caFile].map((file) => readFileSync(file, 'utf8').trim());
  writeFileSync(issued.keyStoreFile, `${keyStore.join('\n')}\n`, { mode: 0o600 });
  ownerOnly(issued.keyStoreFile);
  ownerOnly(issued.certFile);
  return issued;
}

/** The certificate's end of validity, for status output and the expiry metric. */
export function certificateNotAfter(certFile: string): Date {
  return new Date(new X509Certificate(readFileSync(certFile)).validTo);
}
