import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@passport/config';
import { toKafkaMessage } from '@passport/events';
import { Partitioners } from 'kafkajs';
import { passport } from '../../../support/console';
import { freshStory, privateExchange, type PrivateExchange } from '../../../support/story';
import { signAs, testTrust } from '../../../support/test-trust';

jest.setTimeout(120_000);

type Shown = { headers: Record<string, string>; signature: { verdict: string } };

describe('passport export and import keep signatures', () => {
  let exchange: PrivateExchange;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'passport-transfer-'));
  const file = join(dir, 'requests.ndjson');
  const events = [freshStory(0)[0], freshStory(1)[0]] as Record<string, unknown>[];

  beforeAll(async () => {
    exchange = await privateExchange(1);
    const trust = await testTrust();
    env = { PASSPORT_TOPIC_SUFFIX: exchange.topics.suffix, TRUST_LIST_FILE: trust.trustListFile };
    const topic = exchange.topics.actual(TOPICS.cooperationRequests);
    const producer = exchange.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: events.map((event) =>
          signAs(trust, 'bwi', topic, toKafkaMessage(exchange.codec, event).message),
        ),
      });
    } finally {
      await producer.disconnect();
    }
    const exported = await passport(['export', 'requests', '--out', file, '--json'], env);
    expect(exported.json()).toEqual({ file, events: 2, skipped: 0 });
  });
  afterAll(async () => {
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('export keeps the original key, value and headers, signature included', () => {
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    const headers = lines[0].original.headers as [string, string][];
    const signature = headers.find(([name]) => name === 'passport_signature')?.[1];
    expect(Buffer.from(signature as string, 'base64').toString()).toMatch(/^\{"keyid":"[\w-]{22}","sig":/);
    expect(Buffer.from(lines[0].original.key, 'base64').toString()).toBe(events[0]?.requestId);
  });

  it('import onto the same topic publishes the records unchanged: every signature still verifies', async () => {
    const imported = await passport(['import', file, '--json'], env);
    expect(imported.code).toBe(0);
    expect(imported.json()).toEqual({ file, events: 2, signed: 2, unsigned: 0 });
    const verified = await passport(['verify', 'requests', '--json'], env);
    expect(verified.code).toBe(0);
    expect(verified.lines()).toEqual([
      {
        summary: { topic: exchange.topics.actual(TOPICS.cooperationRequests), checked: 4, ok: 4, failed: {} },
      },
    ]);
    const tail = (await passport(['tail', 'requests', '--json'], env)).lines<Shown>();
    expect(tail.map((m) => [m.headers.ce_id, m.signature.verdict])).toEqual(
      [...events, ...events].map((event) => [event.eventId, 'ok']),
    );
  });

  it('import onto another topic is refused whole: the signature binds the topic', async () => {
    const other = await privateExchange(1);
    const otherEnv = { ...env, PASSPORT_TOPIC_SUFFIX: other.topics.suffix };
    try {
      const refused = await passport(['import', file], otherEnv);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/2 of 2 records refused, nothing published/);
      expect(refused.err).toMatch(/line 1: PASSPORT_SIGNATURE_INVALID: the signature by bwi does not verify/);
      expect(refused.err).toMatch(/\[PASSPORT_IMPORT_REFUSED\]$/);
      expect((await passport(['tail', 'requests', '--json'], otherEnv)).lines()).toHaveLength(0);

      const replay = await passport(['import', file, '--allow-unsigned', '--json'], otherEnv);
      expect(replay.code).toBe(0);
      expect(replay.json()).toEqual({ file, events: 2, signed: 0, unsigned: 2 });
      expect(replay.err).toMatch(/line 2 re-encoded without a signature: PASSPORT_SIGNATURE_INVALID/);
      const verified = await passport(['verify', 'requests'], otherEnv);
      expect(verified.code).toBe(1);
      expect(verified.out).toMatch(/checked 2, ok 0, failed 2 \(PASSPORT_SIGNATURE_MISSING 2\)$/);
    } finally {
      await other.close();
    }
  });

  it('an edited line, or one without its original bytes, is refused and nothing is published', async () => {
    const [first, second] = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    first.event.occurredAt = { $date: '2026-01-01T00:00:00.000Z' };
    delete second.original;
    const edited = join(dir, 'edited.ndjson');
    writeFileSync(edited, `${JSON.stringify(first)}\n\n${JSON.stringify(second)}\n`);
    const result = await passport(['import', edited], env);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/line 1: the event differs from its original bytes/);
    expect(result.err).toMatch(/line 3: no original bytes/);
    expect((await passport(['tail', 'requests', '--json'], env)).lines()).toHaveLength(4);
  });

  it('--allow-unsigned is refused on the exchange itself (no topic suffix)', async () => {
    const result = await passport(['import', file, '--allow-unsigned'], {
      ...env,
      PASSPORT_TOPIC_SUFFIX: '',
    });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--allow-unsigned needs PASSPORT_TOPIC_SUFFIX/);
  });
});
