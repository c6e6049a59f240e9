import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { profileFromEnvironment } from '@passport/infra/profile';
import {
  caCertificateFile,
  certificateNotAfter,
  ensureLocalCa,
  issueCertificate,
} from '@passport/infra/tls/local-ca';

function handshake(port: number, ca: string, servername: string, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, ca, servername }, () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}

describe('local CA', () => {
  let cacheDir: string;
  let server: Server | undefined;
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'passport-ca-'));
  });
  afterEach(() => {
    server?.close();
    server = undefined;
    rmSync(cacheDir, { recursive: true, force: true });
  });

  async function serve(issued: { keyFile: string; certFile: string }): Promise<number> {
    server = createServer({ key: readFileSync(issued.keyFile), cert: readFileSync(issued.certFile) });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    return (server.address() as AddressInfo).port;
  }

  const profile = () => profileFromEnvironment('dev', { PASSPORT_CACHE_DIR: cacheDir });

  it('issues owner-only server certificates that a client verifying the host name accepts', async () => {
    const issued = issueCertificate(profile(), 'broker', 'server');
    for (const file of [issued.keyFile, issued.keyStoreFile]) {
      expect(statSync(file).mode & 0o077).toBe(0);
    }
    expect(statSync(join(cacheDir, 'dev', 'tls')).mode & 0o077).toBe(0);
    const port = await serve(issued);
    const ca = readFileSync(caCertificateFile(profile()), 'utf8');
    await expect(handshake(port, ca, 'localhost')).resolves.toBeUndefined();
    // A name the certificate does not carry is refused: clients really verify the host name.
    await expect(handshake(port, ca, 'broker.example.org')).rejects.toThrow(/altnames|Hostname/i);
  });

  it('is refused by a client that trusts another CA', async () => {
    const issued = issueCertificate(profile(), 'registry', 'server');
    const port = await serve(issued);
    const otherCache = mkdtempSync(join(tmpdir(), 'passport-ca-other-'));
    try {
      const otherCa = readFileSync(
        ensureLocalCa(profileFromEnvironment('dev', { PASSPORT_CACHE_DIR: otherCache })),
        'utf8',
      );
      await expect(handshake(port, otherCa, 'localhost')).rejects.toThrow(/certificate/i);
    } finally {
      rmSync(otherCache, { recursive: true, force: true });
    }
  });

  it('reuses a current certificate and issues again after the CA changed', () => {
    const first = issueCertificate(profile(), 'bwi', 'client');
    const before = readFileSync(first.certFile, 'utf8');
    expect(readFileSync(issueCertificate(profile(), 'bwi', 'client').certFile, 'utf8')).toBe(before);
    rmSync(caCertificateFile(profile()));
    expect(readFileSync(issueCertificate(profile(), 'bwi', 'client').certFile, 'utf8')).not.toBe(before);
    expect(certificateNotAfter(first.certFile).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
  });

  it('refuses a name that could escape the TLS folder', () => {
    expect(() => issueCertificate(profile(), '../ca', 'server')).toThrow(/invalid certificate name/);
  });
});
