import { createKafka, createSchemaRegistry } from '@passport/bus';
import { EventCodec, REGISTRY_AVRO_OPTIONS } from '@passport/events';
import { topicNames, type TopicNames } from '@passport/streams';
import type { TrustList } from '@passport/trust';
import { logLevel, Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import type { ConsoleConfig } from './config';
import { withRotations } from './rotations';
import { readTrustListFile } from './trust-list-file';

/** Where a command writes: results to `out`, progress and questions to `err`, answers from `ask`. */
export interface ConsoleIo {
  out(text: string): void;
  err(text: string): void;
  ask(question: string): Promise<string>;
  isTTY: boolean;
  /** Ends long-running commands (tail --follow, console) besides Ctrl-C; tests and embedders use it. */
  signal?: AbortSignal;
}

/**
 * The clients a command may need, created on first use and all closed by `close`, so a command that
 * only reads the registry never connects a producer.
 */
export class ConsoleContext {
  readonly kafka: Kafka;
  readonly topics: TopicNames;
  private admin?: Admin;
  private producer?: Producer;
  private codec?: Promise<EventCodec>;
  private trust?: Promise<TrustList>;

  constructor(
    readonly config: ConsoleConfig,
    readonly io: ConsoleIo,
    readonly json: boolean,
  ) {
    this.kafka = createKafka(config.connection, { clientId: 'passport-console', logLevel: logLevel.NOTHING });
    this.topics = topicNames(config.topicSuffix);
  }

  async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }

  async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.kafka.producer({
        idempotent: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await this.producer.connect();
    }
    return this.producer;
  }

  eventCodec(): Promise<EventCodec> {
    this.codec ??= EventCodec.create(createSchemaRegistry(this.config.connection, REGISTRY_AVRO_OPTIONS));
    return this.codec;
  }

  /**
   * The trust list of TRUST_LIST_FILE with the key rotations announced on the exchange applied, as the
   * agency services hold it; built once, on first use. A bad file fails before anything is read.
   */
  trustList(): Promise<TrustList> {
    if (!this.trust) {
      const base = readTrustListFile(this.config.trustListFile);
      this.trust = withRotations(this, base);
    }
    return this.trust;
  }

  /** Progress goes to stderr, so `--json` output on stdout stays parseable. */
  progress(text: string): void {
    this.io.err(text);
  }

  print(value: unknown, text: () => string): void {
    this.io.out(this.json ? JSON.stringify(value, bigintsAsText) : text());
  }

  async close(): Promise<void> {
    await Promise.all([this.admin?.disconnect(), this.producer?.disconnect()]);
  }
}

export function bigintsAsText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
