import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import { tlsOptions } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import type { Logger } from 'pino';
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

/** A CA file may bundle the old and the new CA during a rotation; more than this is not a PEM file we wrote. */
const MAX_PEM_FILE_BYTES = 1_000_000;
const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_END = '-----END CERTIFICATE-----';

/** The earliest notAfter (ms) over every certificate in a PEM file: the bundle stops working then. */
export function earliestNotAfter(file: string): number {
  const size = statSync(file).size;
  if (size > MAX_PEM_FILE_BYTES)
    throw new Error(`${file} holds ${size} bytes; no certificate file is that big`);
  const text = readFileSync(file, 'utf8');
  let earliest = Number.POSITIVE_INFINITY;
  for (let begin = text.indexOf(PEM_BEGIN); begin !== -1; begin = text.indexOf(PEM_BEGIN, begin + 1)) {
    const end = text.indexOf(PEM_END, begin);
    if (end === -1) break;
    const certificate = new X509Certificate(text.slice(begin, end + PEM_END.length));
    earliest = Math.min(earliest, Date.parse(certificate.validTo));
  }
  if (!Number.isFinite(earliest)) throw new Error(`${file} holds no PEM certificate`);
  return earliest;
}

/** A server whose certificate a connection relies on, under its label value. */
export interface CertifiedServer {
  label: string;
  host: string;
  port: number;
  tls: ConnectionOptions;
}

/** The first broker and the registry, each with the trust (and client certificate) the service uses. */
export function connectionServers(connection: ConnectionSettings): CertifiedServer[] {
  const servers: CertifiedServer[] = [];
  const brokerTls = tlsOptions(connection);
  const [broker] = connection.brokers;
  if (brokerTls && broker) {
    const url = new URL(`tls://${broker}`);
    servers.push({
      label: 'kafka-broker',
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port),
      tls: brokerTls,
    });
  }
  const registry = new URL(connection.registry.url);
  if (registry.protocol === 'https:') {
    const ca = connection.registry.caFile ? { ca: [readFileSync(connection.registry.caFile, 'utf8')] } : {};
    servers.push({
      label: 'registry-server',
      host: registry.hostname.replace(/^\[|\]$/g, ''),
      port: Number(registry.port || 443),
      tls: ca,
    });
  }
  return servers;
}

/**
 * The notAfter (ms) of the certificate a server presents, after verifying it as the service's clients do
 * (chain to the CA, host name). The handshake is all: the connection closes before any request.
 */
export function presentedNotAfter(server: CertifiedServer, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      ...server.tls,
      host: server.host,
      port: server.port,
      ...(isIP(server.host) ? {} : { servername: server.host }),
    });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no TLS handshake with ${server.host}:${server.port} in ${timeoutMs} ms`)),
    );
    socket.once('secureConnect', () => {
      const notAfter = Date.parse(socket.getPeerCertificate().valid_to);
      socket.end();
      resolve(notAfter);
    });
    socket.once('error', reject);
  });
}

/**
 * Publishes each certificate's notAfter (Unix seconds): the files the clients read at start, and the
 * certificates the broker and the registry present, which their operators renew on their own schedule
 * and which expire first (a server certificate lives shorter than its CA). Servers are asked again every
 * `intervalMs`; a server that cannot be asked keeps its last value and is logged.
 */
export class CertificateExpiryWatch {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      connection: ConnectionSettings;
      metrics: Metrics;
      logger: Logger;
      intervalMs: number;
    },
  ) {}

  recordFiles(): void {
    const { metrics } = this.options;
    for (const [file, path] of Object.entries(connectionCertificateFiles(this.options.connection)))
      metrics.tlsCertificateExpiry.set({ file }, Math.floor(earliestNotAfter(path) / 1000));
  }

  async recordServers(): Promise<void> {
    const { metrics, logger } = this.options;
    for (const server of connectionServers(this.options.connection)) {
      try {
        metrics.tlsCertificateExpiry.set(
          { file: server.label },
          Math.floor((await presentedNotAfter(server)) / 1000),
        );
      } catch (error) {
        logger.warn(
          { server: server.label, err: error },
          'could not read the certificate the server presents',
        );
      }
    }
  }

  start(): void {
    this.recordFiles();
    void this.recordServers();
    this.#timer = setInterval(() => void this.recordServers(), this.options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
