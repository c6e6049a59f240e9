import { createKafka, createSchemaRegistry } from '@passport/bus';
import { deadLetterTopicOf, loadAgencies } from '@passport/config';
import { EventCodec, REGISTRY_AVRO_OPTIONS, toKafkaMessage } from '@passport/events';
import { readRange, type RangeMessage } from '@passport/streams';
import { CompressionTypes, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { Worker } from 'node:worker_threads';
import { adminConnection, agencyConnection } from './cluster';
import { signAs, testTrust } from './test-trust';

/**
 * A partner agency turned hostile: its own real principal, its own signing key and its own producer
 * (not its service's outbox), publishing events that pass the contract and carry its valid signature
 * but that it has no standing to send.
 */
export interface HostilePartner {
  /** The event, signed with this agency's real key, as its service would publish it. */
  send(event: Record<string, unknown>): Promise<void>;
  /** Any bytes to any topic, unsigned; resolves to the error the broker answered with, or undefined. */
  sendRaw(
    topic: string,
    message: { key: string; value: Buffer; headers: Record<string, string> },
    compression?: CompressionTypes,
  ): Promise<unknown>;
  close(): Promise<void>;
}

export async function hostilePartner(agencyId: string): Promise<HostilePartner> {
  const codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
  const producer: Producer = createKafka(agencyConnection(agencyId), {
    clientId: `hostile-${agencyId}`,
    logLevel: logLevel.NOTHING,
  }).producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const trust = await testTrust();
  return {
    async send(event) {
      const { topic, message } = toKafkaMessage(codec, event);
      await producer.send({ topic, acks: -1, messages: [signAs(trust, agencyId, topic, message)] });
    },
    sendRaw: (topic, message, compression = CompressionTypes.None) =>
      producer.send({ topic, acks: -1, compression, messages: [message] }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    close: () => producer.disconnect(),
  };
}

/** Every agency's dead-letter topic and its end offsets now: where the suite reads from. */
export type DeadLetterMarks = Map<string, Map<number, bigint>>;

export async function deadLetterMarks(admin: Admin): Promise<DeadLetterMarks> {
  const marks: DeadLetterMarks = new Map();
  for (const agency of loadAgencies()) {
    const topic = deadLetterTopicOf(agency.id);
    const offsets = await admin.fetchTopicOffsets(topic);
    marks.set(topic, new Map(offsets.map((o) => [o.partition, BigInt(o.high)])));
  }
  return marks;
}

/** Dead letters written since `marks` on every agency's topic, read with the admin principal. */
export async function deadLettersSince(admin: Admin, marks: DeadLetterMarks): Promise<RangeMessage[]> {
  const kafka = createKafka(adminConnection(), { clientId: 'hostile-suite-dlq', logLevel: logLevel.NOTHING });
  const found: RangeMessage[] = [];
  for (const [topic, since] of marks) {
    const now = await admin.fetchTopicOffsets(topic);
    const spans = now.map((o) => ({
      partition: o.partition,
      start: since.get(o.partition) ?? 0n,
      end: BigInt(o.high),
    }));
    await readRange(kafka, topic, spans, (message) => void found.push(message), {
      groupPrefix: 'hostile-suite-dlq',
    });
  }
  return found;
}

/** One counter's value from a Prometheus text page, matched on the labels given. */
export function counterValue(page: string, name: string, labels: Record<string, string>): number {
  const line = page
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/**
 * The probe loop, in a worker thread of its own: the suite's main thread encodes, reads the dead-letter
 * topic and parses JSON, and timers waiting behind that work would be measured as slow answers.
 */
const PROBE_LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
const { urls, everyMs } = workerData;
const timings = [];
const failures = [];
const inFlight = new Set();
function probe(agency, url) {
  const started = performance.now();
  const call = fetch(url + '/healthz', { signal: AbortSignal.timeout(5000) })
    .then((response) => {
      if (!response.ok) failures.push(agency + ': ' + response.status);
      return response.arrayBuffer();
    })
    .then(() => timings.push(performance.now() - started))
    .catch((error) => failures.push(agency + ': ' + error.message))
    .finally(() => inFlight.delete(call));
  inFlight.add(call);
}
const timer = setInterval(() => {
  for (const [agency, url] of Object.entries(urls)) probe(agency, url);
}, everyMs);
parentPort.once('message', async () => {
  clearInterval(timer);
  await Promise.all(inFlight);
  parentPort.postMessage({ timings, failures });
});
`;

/**
 * Asks each service's /healthz every `everyMs` while the suite runs and keeps the answer times. A
 * frozen consumer would show as answers that take long or never come; `stop` reports both.
 */
export function probeHealth(urls: Record<string, string>, everyMs = 50) {
  const worker = new Worker(PROBE_LOOP, { eval: true, workerData: { urls, everyMs } });
  return {
    async stop() {
      const result = new Promise<{ timings: number[]; failures: string[] }>((resolve) =>
        worker.once('message', resolve),
      );
      worker.postMessage('stop');
      const { timings, failures } = await result;
      await worker.terminate();
      const sorted = [...timings].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] ?? NaN;
      return {
        count: sorted.length,
        max: sorted[sorted.length - 1] ?? NaN,
        p50: at(0.5),
        p99: at(0.99),
        failures,
      };
    },
  };
}
