import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgencies, TOPICS } from '@passport/config';
import { toKafkaMessage } from '@passport/events';
import {
  createRotationStatement,
  formatSignatureHeader,
  SIGNATURE_HEADER,
  signedBytes,
} from '@passport/trust';
import { Partitioners } from 'kafkajs';
import { prepareLocalTrust, type LocalTrust } from '@passport/infra/system/trust-list-file';
import { passport } from '../../../support/console';
import { freshStory, privateExchange, type PrivateExchange } from '../../../support/story';
import { signAs } from '../../../support/test-trust';

jest.setTimeout(120_000);

describe('the console follows key rotations announced on the exchange', () => {
  const dir = mkdtempSync(join(tmpdir(), 'passport-console-rotation-'));
  let exchange: PrivateExchange;
  let trust: LocalTrust;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Keys of their own: this test rotates bwi, which must not touch other tests' keys.
    trust = await prepareLocalTrust(
      dir,
      loadAgencies().map((agency) => agency.id),
    );
    exchange = await privateExchange(1);
    env = { PASSPORT_TOPIC_SUFFIX: exchange.topics.suffix, TRUST_LIST_FILE: trust.trustListFile };
  });
  afterAll(async () => {
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function send(
    topic: string,
    message: { key: string; value: Buffer; headers: Record<string, string> },
  ) {
    const producer = exchange.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [message] });
    } finally {
      await producer.disconnect();
    }
  }

  it('a record signed by a key the file lacks is KEY_UNKNOWN until bwi announces it, then ok', async () => {
    const keys = trust.keys.bwi!;
    const hour = 3_600_000;
    const next = await keys.rotate(new Date(Date.now() + hour));
    const statement = createRotationStatement(keys, next, new Date(Date.now() + 2 * hour));
    const requests = exchange.topics.actual(TOPICS.cooperationRequests);
    const { message } = toKafkaMessage(exchange.codec, freshStory(0)[0]);
    const { keyId, signature } = keys.signWithGeneration(
      next.generation,
      signedBytes({ topic: requests, ...message }),
    );
    await send(requests, {
      ...message,
      headers: { ...message.headers, [SIGNATURE_HEADER]: formatSignatureHeader(keyId, signature) },
    });
    const before = await passport(['verify', 'requests'], env);
    expect(before.code).toBe(1);
    expect(before.out).toMatch(/PASSPORT_KEY_UNKNOWN: signing key \S+ is not in the trust list/);

    const rotationId = randomUUID();
    const rotations = exchange.topics.actual(TOPICS.keyRotations);
    const announced = toKafkaMessage(exchange.codec, {
      eventId: randomUUID(),
      occurredAt: new Date(),
      source: 'bwi',
      requestId: rotationId,
      causationId: null,
      correlationId: rotationId,
      type: 'KeyRotationAnnounced',
      payload: { statement },
    }).message;
    // Aura re-publishing bwi's statement is not bwi announcing it: skipped, as a service parks it.
    await send(
      rotations,
      signAs(trust, 'aura', rotations, {
        ...announced,
        headers: { ...announced.headers, ce_source: '/passport/agencies/aura' },
      }),
    );
    const relayed = await passport(['verify', 'requests'], env);
    expect(relayed.code).toBe(1);
    expect(relayed.err).toMatch(/1 key rotation statement\(s\) on \S+ skipped/);

    await send(rotations, signAs(trust, 'bwi', rotations, announced));
    const after = await passport(['verify', 'requests'], env);
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/checked 1, ok 1, failed 0$/);
    const tail = await passport(['tail', 'requests', '--json'], env);
    expect(tail.lines<{ signature: unknown }>().map((m) => m.signature)).toEqual([
      { signer: 'bwi', keyId: next.signingKeyId, verdict: 'ok', detail: null },
    ]);
  });
});
