import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@passport/config';
import { toKafkaMessage } from '@passport/events';
import { groupLag, waitForGroupCaughtUp } from '@passport/streams';
import { Partitioners } from 'kafkajs';
import { uniqueName } from '../../../support/cluster';
import { passport } from '../../../support/console';
import { freshStory, privateExchange, type PrivateExchange } from '../../../support/story';

jest.setTimeout(120_000);

describe('passport CLI against the real broker', () => {
  let exchange: PrivateExchange;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'passport-cli-'));
  const stories = [freshStory(0), freshStory(40)];
  const requestIdOf = (story: Record<string, unknown>[]) => story[0]?.requestId as string;

  beforeAll(async () => {
    exchange = await privateExchange();
    env = {
      PASSPORT_TOPIC_SUFFIX: exchange.topics.suffix,
      PASSPORT_REDRIVE_LOG: join(dir, 'redrive.ndjson'),
    };
    for (const story of stories) await exchange.publish(story);
  });
  afterAll(async () => {
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('topics: partitions, retention and message counts', async () => {
    const result = await passport(['topics', '--json'], env);
    expect(result.code).toBe(0);
    const requests = result.json<Array<{ topic: string; partitions: number; messages: number }>>()[0];
    expect(requests).toMatchObject({
      topic: exchange.topics.actual(TOPICS.cooperationRequests),
      partitions: 3,
      messages: 6,
    });
  });

  it('tail: decoded events with headers, filtered by type, request, agency and key', async () => {
    const byType = await passport(['tail', 'requests', '--json', '--type', 'CooperationRequested'], env);
    expect(byType.lines()).toHaveLength(2);
    const one = requestIdOf(stories[1] as Record<string, unknown>[]);
    const byRequest = await passport(['tail', 'requests', '--json', '--request', one], env);
    expect(byRequest.lines<{ headers: Record<string, string> }>().map((m) => m.headers.ce_subject)).toEqual([
      one,
      one,
      one,
    ]);
    expect((await passport(['tail', 'replies', '--json', '--agency', 'aura'], env)).lines()).toHaveLength(2);
    expect((await passport(['tail', 'outcomes', '--json', '--key', one], env)).lines()).toHaveLength(1);
    const text = await passport(['tail', 'requests', '--last', '1'], env);
    expect(text.out).toMatch(/headers: ce_specversion=1\.0/);
  });

  it('tail --follow: prints messages published after it started, until stopped', async () => {
    const abort = new AbortController();
    const out: string[] = [];
    const later = freshStory(200);
    const following = passport(['tail', 'outcomes', '--follow', '--json', '--last', '0'], env, '', {
      signal: abort.signal,
      out,
    });
    // The new outcome is published until the follower has printed it (at most 40 times, 20 s); no
    // fixed sleep decides success.
    const outcome = later.filter((event) => event.type === 'OutcomeReported');
    const printed = () => out.some((line) => line.includes(later[0]?.requestId as string));
    for (let attempt = 0; attempt < 40 && !printed(); attempt += 1) {
      await exchange.publish(outcome.map((event) => ({ ...event, eventId: randomUUID() })));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    abort.abort();
    expect(printed()).toBe(true);
    expect((await following).code).toBe(0);
    expect(JSON.parse(out[0] as string)).toMatchObject({ event: { type: 'OutcomeReported' } });
  });

  it('trace: one request across all topics in time order', async () => {
    const story = stories[0] as Record<string, unknown>[];
    const result = await passport(['trace', requestIdOf(story), '--json'], env);
    expect(result.code).toBe(0);
    expect(result.lines<{ event: { type: string } }>().map((m) => m.event.type)).toEqual(
      story.map((e) => e.type),
    );
  });

  it('kpis: table, CSV and JSON from offset zero', async () => {
    const json = await passport(['kpis', '--json'], env);
    expect(json.json<{ overall: { requestsSent: number; agreements: number } }>().overall).toMatchObject({
      requestsSent: 2,
      agreements: 2,
    });
    const csv = await passport(['kpis', '--csv'], env);
    expect(csv.out.split('\n')[0]).toBe('metric,overall,accio,aura,bwi,promos');
    expect(csv.out).toMatch(/^requests sent,2,0,0,2,0$/m);
    expect((await passport(['kpis', '--months'], env)).out).toMatch(/2026-04\s+1/);
  });

  it('export and import: NDJSON out of one exchange, re-encoded into another', async () => {
    const file = join(dir, 'requests.ndjson');
    const exported = await passport(['export', 'requests', '--out', file, '--from', '0', '--json'], env);
    expect(exported.json()).toMatchObject({ events: 6, skipped: 0 });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(6);
    const other = await privateExchange();
    try {
      const otherEnv = { PASSPORT_TOPIC_SUFFIX: other.topics.suffix };
      expect((await passport(['import', file, '--json'], otherEnv)).json()).toEqual({ file, events: 6 });
      expect((await passport(['tail', 'requests', '--json', '--last', '10'], otherEnv)).lines()).toHaveLength(
        6,
      );
    } finally {
      await other.close();
    }
  });

  it('dlq: list, show, redrive to the original topic, and refuse a second redrive', async () => {
    const lost = freshStory(100)[0] as Record<string, unknown>;
    const { message } = toKafkaMessage(exchange.codec, lost);
    const producer = exchange.kafka.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const original = exchange.topics.actual(TOPICS.cooperationRequests);
    await producer.send({
      topic: exchange.topics.deadLetter,
      acks: -1,
      messages: [
        {
          ...message,
          headers: {
            ...message.headers,
            dlq_error_code: 'PASSPORT_HANDLER_TIMEOUT',
            dlq_error_message: 'slow',
            dlq_original_topic: original,
            dlq_original_partition: '0',
            dlq_original_offset: '7',
            dlq_consumer_group: 'bwi.exchange',
            dlq_failed_at: new Date().toISOString(),
          },
        },
      ],
    });
    await producer.disconnect();

    const listed = (await passport(['dlq', 'list', '--json'], env)).json<
      Array<{ id: string; redriven: boolean; code: string }>
    >();
    expect(listed).toEqual([expect.objectContaining({ code: 'PASSPORT_HANDLER_TIMEOUT', redriven: false })]);
    const id = listed[0]?.id as string;
    expect((await passport(['dlq', 'show', id, '--json'], env)).json()).toMatchObject({
      headers: { dlq_original_offset: '7' },
    });

    const redriven = await passport(['dlq', 'redrive', id, '--json'], env);
    expect(redriven.code).toBe(0);
    const back = (
      await passport(['tail', 'requests', '--json', '--request', lost.requestId as string], env)
    ).lines<{ headers: Record<string, string> }>();
    expect(back).toHaveLength(1);
    expect(back[0]?.headers).toMatchObject({ passport_redriven_from: id, ce_id: lost.eventId });
    expect(back[0]?.headers.dlq_error_code).toBeUndefined();
    expect(readFileSync(env.PASSPORT_REDRIVE_LOG as string, 'utf8')).toContain(`"deadLetter":"${id}"`);
    expect((await passport(['dlq', 'list', '--json'], env)).json()).toEqual([
      expect.objectContaining({ redriven: true }),
    ]);
    const again = await passport(['dlq', 'redrive', id], env);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already redriven/);
  });

  it('groups and replay: lag shown, offsets reset by time only for an inactive group, confirmed first', async () => {
    const groupId = uniqueName('bwi.replay-test');
    const topic = exchange.topics.actual(TOPICS.cooperationRequests);
    const consumer = exchange.kafka.consumer({ groupId });
    const admin = exchange.kafka.admin();
    await Promise.all([consumer.connect(), admin.connect()]);
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      await waitForGroupCaughtUp(admin, groupId, [topic]);
      const active = await passport(
        ['replay', '--group', groupId, '--to-time', '2000-01-01T00:00:00Z', '--yes'],
        env,
      );
      expect(active.code).toBe(1);
      expect(active.err).toMatch(/PASSPORT_GROUP_ACTIVE/);
      await consumer.disconnect();

      const groups = (await passport(['groups', '--group', groupId, '--json'], env)).json<
        Array<{ lag: string }>
      >();
      // Only partitions that hold messages get a committed offset; which ones depends on the keys' hashes.
      expect(groups.length).toBeGreaterThan(0);
      expect(groups.every((g) => g.lag === '0')).toBe(true);
      const unconfirmed = await passport(
        ['replay', '--group', groupId, '--to-time', '2000-01-01T00:00:00Z'],
        env,
      );
      expect(unconfirmed.code).toBe(2);
      const declined = await passport(
        ['replay', '--group', groupId, '--to-time', '2000-01-01T00:00:00Z'],
        env,
        'n',
      );
      expect(declined.out).toMatch(/committed\s+new/);
      expect((await groupLag(admin, groupId, [topic])).every((l) => l.lag === 0n)).toBe(true);

      const replay = await passport(
        ['replay', '--group', groupId, '--to-time', '2000-01-01T00:00:00Z', '--yes', '--json'],
        env,
      );
      expect(replay.code).toBe(0);
      const lags = await groupLag(admin, groupId, [topic]);
      expect(lags.reduce((sum, l) => sum + l.lag, 0n)).toBe(7n);
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('errors: one line on stderr, non-zero exit; --help everywhere, also through the bin', async () => {
    const unknown = await passport(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err.split('\n')).toHaveLength(1);
    for (const command of ['topics', 'groups', 'tail', 'trace', 'dlq', 'export', 'import', 'replay', 'kpis'])
      expect((await passport([command, '--help'])).code).toBe(0);
    const bin = join(__dirname, '../../../../services/console/bin/passport.js');
    const help = spawnSync(process.execPath, [bin, '--help'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: passport <command>/);
    const bad = spawnSync(process.execPath, [bin, 'trace', 'not-a-uuid'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^passport trace: .*\[PASSPORT_USAGE\]$/),
    ]);
  });
});
