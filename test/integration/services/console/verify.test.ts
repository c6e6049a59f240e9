import { TOPICS } from '@passport/config';
import { toKafkaMessage } from '@passport/events';
import { formatSignatureHeader, SIGNATURE_HEADER, signedBytes } from '@passport/trust';
import { Partitioners } from 'kafkajs';
import type { LocalTrust } from '@passport/infra/system/trust-list-file';
import { passport } from '../../../support/console';
import { freshStory, privateExchange, type PrivateExchange } from '../../../support/story';
import { signAs, testTrust } from '../../../support/test-trust';

jest.setTimeout(120_000);

const CE_TYPE = 'eu.fourmotors.passport.CooperationRequested.v1';

interface Failure {
  partition: number;
  offset: string;
  eventId: string;
  type: string;
  signer: string | null;
  code: string;
}

describe('passport verify, tail and trace: the signer and verdict of every record', () => {
  let exchange: PrivateExchange;
  let trust: LocalTrust;
  let env: Record<string, string>;
  let topic: string;
  const [valid, unsigned, tampered, mismatched] = [0, 1, 2, 3].map(
    () => freshStory(0)[0] as Record<string, unknown>,
  ) as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];

  beforeAll(async () => {
    // One partition: the four records sit at offsets 0-3 in the order they are sent.
    exchange = await privateExchange(1);
    trust = await testTrust();
    env = { PASSPORT_TOPIC_SUFFIX: exchange.topics.suffix, TRUST_LIST_FILE: trust.trustListFile };
    topic = exchange.topics.actual(TOPICS.cooperationRequests);
    const messageOf = (event: Record<string, unknown>) => toKafkaMessage(exchange.codec, event).message;
    const signedByBwi = signAs(trust, 'bwi', topic, messageOf(tampered));
    const value = Buffer.from(signedByBwi.value);
    value[value.length - 1] = (value[value.length - 1] ?? 0) ^ 1;
    // Aura's key over a record whose ce_source says bwi: a valid signature by the wrong agency.
    const claimsBwi = messageOf(mismatched);
    const { keyId, signature } = trust.keys.aura!.sign(signedBytes({ topic, ...claimsBwi }));
    const producer = exchange.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: [
          signAs(trust, 'bwi', topic, messageOf(valid)),
          messageOf(unsigned),
          { ...signedByBwi, value },
          {
            ...claimsBwi,
            headers: { ...claimsBwi.headers, [SIGNATURE_HEADER]: formatSignatureHeader(keyId, signature) },
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }
  });
  afterAll(async () => {
    await exchange?.close();
  });

  it('verify: reports exactly the three bad records with their codes and exits 1', async () => {
    const result = await passport(['verify', 'requests', '--json'], env);
    expect(result.code).toBe(1);
    const lines = result.lines<Failure | { summary: unknown }>();
    const failures = lines.filter((line): line is Failure => !('summary' in line));
    expect(failures.map((f) => [f.offset, f.eventId, f.type, f.code])).toEqual([
      ['1', unsigned.eventId, CE_TYPE, 'PASSPORT_SIGNATURE_MISSING'],
      ['2', tampered.eventId, CE_TYPE, 'PASSPORT_SIGNATURE_INVALID'],
      ['3', mismatched.eventId, CE_TYPE, 'PASSPORT_SIGNER_MISMATCH'],
    ]);
    expect(failures[2]?.signer).toBe('aura');
    expect(lines.at(-1)).toEqual({
      summary: {
        topic,
        checked: 4,
        ok: 1,
        failed: {
          PASSPORT_SIGNATURE_MISSING: 1,
          PASSPORT_SIGNATURE_INVALID: 1,
          PASSPORT_SIGNER_MISMATCH: 1,
        },
      },
    });
    expect(result.err).toMatch(/3 of 4 records failed verification \[PASSPORT_VERIFICATION_FAILED\]/);
    expect(result.err).toMatch(/verifying 4 records/);
  });

  it('verify: text output, and a range holding only the valid record exits 0', async () => {
    const text = await passport(['verify', 'requests'], env);
    expect(text.out).toMatch(
      /^passport\.cooperation-requests\.v1\.\S+\/0@1 \S+ eu\.fourmotors\.passport\.CooperationRequested\.v1 PASSPORT_SIGNATURE_MISSING: /m,
    );
    expect(text.out).toMatch(
      /checked 4, ok 1, failed 3 \(PASSPORT_SIGNATURE_INVALID 1, PASSPORT_SIGNATURE_MISSING 1, PASSPORT_SIGNER_MISMATCH 1\)$/,
    );
    const first = await passport(['verify', 'requests', '--from', '0', '--to', '0', '--partition', '0'], env);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/checked 1, ok 1, failed 0$/);
    expect((await passport(['verify', 'requests', '--partition', '7'], env)).code).toBe(2);
    expect((await passport(['verify', 'requests', '--at', 'yesterday'], env)).code).toBe(2);
  });

  it('verify --at: a time before the keys existed makes even the valid record not yet valid', async () => {
    const result = await passport(['verify', 'requests', '--to', '0', '--at', '2000-01-01T00:00:00Z'], env);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /^passport\.cooperation-requests\.v1\.\S+\/0@0 \S+ eu\.fourmotors\.passport\.CooperationRequested\.v1 PASSPORT_KEY_NOT_YET_VALID: /m,
    );
  });

  it('tail: every message shows its signer and verdict', async () => {
    const json = await passport(['tail', 'requests', '--json'], env);
    expect(json.code).toBe(0);
    const shown = json.lines<{
      offset: string;
      signature: { signer: string; keyId: string; verdict: string };
    }>();
    expect(shown.map((m) => [m.offset, m.signature.signer, m.signature.verdict])).toEqual([
      ['0', 'bwi', 'ok'],
      ['1', null, 'PASSPORT_SIGNATURE_MISSING'],
      ['2', 'bwi', 'PASSPORT_SIGNATURE_INVALID'],
      ['3', 'aura', 'PASSPORT_SIGNER_MISMATCH'],
    ]);
    expect(shown[0]?.signature.keyId).toBe(trust.keys.bwi!.current().signingKeyId);
    const text = await passport(['tail', 'requests', '--request', valid.requestId as string], env);
    expect(text.out).toContain(
      `signature: signed by bwi (key ${trust.keys.bwi!.current().signingKeyId}): ok`,
    );
  });

  it('trace: each event of the request with its verdict', async () => {
    const result = await passport(['trace', unsigned.requestId as string, '--json'], env);
    expect(result.code).toBe(0);
    expect(result.lines<{ signature: { verdict: string } }>().map((m) => m.signature.verdict)).toEqual([
      'PASSPORT_SIGNATURE_MISSING',
    ]);
  });

  it('a dead letter verifies against the topic it was refused on, as a redrive would publish it', async () => {
    const dlq = exchange.topics.deadLetterOf('bwi');
    const signed = signAs(trust, 'bwi', topic, toKafkaMessage(exchange.codec, freshStory(5)[0]).message);
    const parked = (originalTopic: string) => ({
      ...signed,
      headers: {
        ...signed.headers,
        dlq_error_code: 'PASSPORT_HANDLER_TIMEOUT',
        dlq_original_topic: originalTopic,
      },
    });
    const producer = exchange.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({
        topic: dlq,
        acks: -1,
        messages: [parked(topic), parked(exchange.topics.actual(TOPICS.outcomes))],
      });
    } finally {
      await producer.disconnect();
    }
    const result = await passport(['verify', 'dlq.bwi', '--json'], env);
    expect(result.code).toBe(1);
    expect(result.lines<Failure>().map((line) => [line.offset, line.code ?? 'summary'])).toEqual([
      ['1', 'PASSPORT_SIGNATURE_INVALID'],
      [undefined, 'summary'],
    ]);
    const tail = await passport(['tail', 'dlq.bwi', '--json'], env);
    expect(tail.lines<{ signature: { verdict: string } }>().map((m) => m.signature.verdict)).toEqual([
      'ok',
      'PASSPORT_SIGNATURE_INVALID',
    ]);
  });

  it('verify all: every event topic in turn, one summary each, exit 1 for the three bad records', async () => {
    const result = await passport(['verify', 'all', '--json'], env);
    expect(result.code).toBe(1);
    const summaries = result
      .lines<{ summary?: { topic: string; checked: number; ok: number } }>()
      .flatMap((line) => (line.summary ? [line.summary] : []));
    expect(summaries.map((s) => s.topic)).toEqual([...exchange.topics.events]);
    expect(summaries.find((s) => s.topic === topic)).toMatchObject({ checked: 4, ok: 1 });
    expect(result.err).toMatch(/3 of 4 records failed verification/);
  });

  it('a missing trust list stops tail, trace and verify with the variable named', async () => {
    const missing = { ...env, TRUST_LIST_FILE: '/nonexistent/trust-list.json' };
    for (const args of [
      ['tail', 'requests'],
      ['trace', valid.requestId as string],
      ['verify', 'requests'],
    ]) {
      const result = await passport(args, missing);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/TRUST_LIST_FILE is invalid: \/nonexistent\/trust-list.json cannot be read/);
      expect(result.err).toMatch(/\[PASSPORT_CONFIG_INVALID\]$/);
    }
  });
});
