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
import { testTrust } from '../../../support/test-trust';

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
      TRUST_LIST_FILE: (await testTrust()).trustListFile,
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

  it('export and import: unsigned records are refused, or re-encoded into another exchange on request', async () => {
    const file = join(dir, 'requests.ndjson');
    const exported = await passport(['export', 'requests', '--out', file, '--from', '0', '--json'], env);
    expect(exported.json()).toMatchObject({ events: 6, skipped: 0 });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(6);
    const other = await privateExchange();
    try {
      const otherEnv = { ...env, PASSPORT_TOPIC_SUFFIX: other.topics.suffix };
      const tail = async () =>
        (await passport(['tail', 'requests', '--json', '--last', '10'], otherEnv)).lines();
      const refused = await passport(['import', file], otherEnv);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/6 of 6 records refused, nothing published.*PASSPORT_SIGNATURE_MISSING/);
      expect(await tail()).toHaveLength(0);
      const replayed = await passport(['import', file, '--allow-unsigned', '--json'], otherEnv);
      expect(replayed.json()).toEqual({ file, events: 6, signed: 0, unsigned: 6 });
      expect(await tail()).toHaveLength(6);
    } finally {
      await other.close();
    }
  });

  it('tail: control characters in partner headers are shown escaped, JSON stays JSON', async () => {
    const story = freshStory(150);
    const { message } = toKafkaMessage(exchange.codec, story[0] as Record<string, unknown>);
    const hostile = '\x1b]0;pwned\x07\r\x1b[2J\u202eevil\x9b31m';
    const producer = exchange.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: exchange.topics.actual(TOPICS.cooperationRequests),
      acks: -1,
      messages: [{ ...message, headers: { ...message.headers, x_note: hostile } }],
    });
    await producer.disconnect();
    // eslint-disable-next-line no-control-regex -- what must never reach the terminal raw
    const rawControl = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
    const text = await passport(['tail', 'requests', '--request', requestIdOf(story)], env);
    expect(text.code).toBe(0);
    expect(text.out).toContain('x_note=\\x1b]0;pwned\\x07\\x0d\\x1b[2J\\u202eevil\\u009b31m');
    expect(text.out).not.toMatch(rawControl);
    const json = await passport(['tail', 'requests', '--json', '--request', requestIdOf(story)], env);
    expect(json.out).not.toMatch(rawControl);
    expect(json.lines<{ headers: Record<string, string> }>()[0]?.headers.x_note).toBe(hostile);
  });

  it('dlq: pages, show, redrive only trustworthy dead letters to exchange topics, never twice', async () => {
    const lost = freshStory(100)[0] as Record<string, unknown>;
    const fromAura = freshStory(110)[0] as Record<string, unknown>;
    const victim = uniqueName('test.victim');
    const admin = exchange.kafka.admin();
    const producer = exchange.kafka.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ topics: [{ topic: victim, numPartitions: 1 }] });
    const original = exchange.topics.actual(TOPICS.cooperationRequests);
    const park = async (agency: string, event: Record<string, unknown>, context: Record<string, string>) => {
      const { message } = toKafkaMessage(exchange.codec, event);
      const headers = {
        ...message.headers,
        dlq_error_code: 'PASSPORT_HANDLER_TIMEOUT',
        dlq_error_message: 'slow',
        dlq_original_topic: original,
        dlq_original_partition: '0',
        dlq_original_offset: '7',
        dlq_consumer_group: `${agency}.exchange`,
        dlq_failed_at: new Date().toISOString(),
        ...context,
      };
      const topic = exchange.topics.deadLetterOf(agency);
      const [sent] = await producer.send({ topic, acks: -1, messages: [{ ...message, headers }] });
      return `${agency}/${sent?.partition}:${sent?.baseOffset}`;
    };
    try {
      const good = await park('bwi', lost, {});
      const otherGroup = await park('bwi', freshStory(101)[0] as Record<string, unknown>, {
        dlq_consumer_group: 'aura.exchange',
      });
      const elsewhere = await park('bwi', freshStory(102)[0] as Record<string, unknown>, {
        dlq_original_topic: victim,
      });
      const truncated = await park('bwi', freshStory(103)[0] as Record<string, unknown>, {
        dlq_truncated: 'value 2097152',
      });
      const auraGood = await park('aura', fromAura, {});
      const all = [good, otherGroup, elsewhere, truncated, auraGood];

      // Two pages of two and one of one: every dead letter exactly once, and the command for the next page.
      type Page = { deadLetters: Array<{ id: string; redriven: boolean }>; next: string | null };
      const seen: string[] = [];
      let from: string | null = null;
      for (let page = 0; page < 3; page += 1) {
        const args = ['dlq', 'list', '--limit', '2', '--json', ...(from ? ['--from', from] : [])];
        const listed: Page = (await passport(args, env)).json<Page>();
        expect(listed.deadLetters.length).toBe(page < 2 ? 2 : 1);
        seen.push(...listed.deadLetters.map((d) => d.id));
        from = listed.next;
      }
      expect(from).toBeNull();
      expect(seen.sort()).toEqual([...all].sort());
      const later = await passport(['dlq', 'list', '--json', '--from', '2999-01-01T00:00:00Z'], env);
      expect(later.json()).toEqual({ deadLetters: [], next: null });
      expect((await passport(['dlq', 'list', '--from', 'bwi/0:x'], env)).code).toBe(2);
      const text = await passport(['dlq', 'list', '--limit', '2'], env);
      expect(text.out).toMatch(/next page: passport dlq list --limit 2 --from [a-z]+\/\d+:\d+/);

      const beyond = await passport(['dlq', 'show', 'bwi/0:999999'], env);
      expect(beyond.err).toMatch(/dead letter bwi\/0:999999 was not found \[PASSPORT_NOT_FOUND\]/);
      expect((await passport(['dlq', 'show', good, '--json'], env)).json()).toMatchObject({
        headers: { dlq_original_offset: '7' },
        redrivable: true,
      });
      expect((await passport(['dlq', 'show', otherGroup], env)).out).toMatch(
        /not redrivable: dlq_consumer_group/,
      );

      // Named ids: one untrustworthy among them and none is republished.
      const mixed = await passport(['dlq', 'redrive', good, otherGroup], env);
      expect(mixed.code).toBe(1);
      expect(mixed.err).toMatch(/not a consumer group of bwi.*\[PASSPORT_REDRIVE_REFUSED\]$/);
      const tailOf = async (event: Record<string, unknown>) =>
        (await passport(['tail', 'requests', '--json', '--request', event.requestId as string], env)).lines<{
          headers: Record<string, string>;
        }>();
      expect(await tailOf(lost)).toHaveLength(0);

      const redriven = await passport(['dlq', 'redrive', good, '--json'], env);
      expect(redriven.code).toBe(0);
      const back = await tailOf(lost);
      expect(back).toHaveLength(1);
      expect(back[0]?.headers).toMatchObject({ passport_redriven_from: good, ce_id: lost.eventId });
      expect(back[0]?.headers.dlq_error_code).toBeUndefined();
      expect(readFileSync(env.PASSPORT_REDRIVE_LOG as string, 'utf8')).toContain(`"deadLetter":"${good}"`);

      // --all republishes the trustworthy rest and names what it refused, each with its reason.
      const rest = await passport(['dlq', 'redrive', '--all'], env);
      expect(rest.code).toBe(1);
      expect(rest.out).toMatch(/^1 dead letter\(s\) republished/);
      expect(rest.err).toContain(`${otherGroup} (dlq_consumer_group`);
      expect(rest.err).toContain(`${elsewhere} (dlq_original_topic`);
      expect(rest.err).toContain(`${truncated} (it was truncated`);
      expect(await tailOf(fromAura)).toHaveLength(1);
      const victimOffsets = await admin.fetchTopicOffsets(victim);
      expect(victimOffsets.map((o) => o.high)).toEqual(['0']);

      const listed = (await passport(['dlq', 'list', '--json'], env)).json<Page>();
      expect(
        listed.deadLetters
          .filter((d) => d.redriven)
          .map((d) => d.id)
          .sort(),
      ).toEqual([good, auraGood].sort());
      const again = await passport(['dlq', 'redrive', good], env);
      expect(again.code).toBe(2);
      expect(again.err).toMatch(/already redriven/);
    } finally {
      await producer.disconnect();
      await admin.deleteTopics({ topics: [victim] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('dlq: a dead letter the service sent twice is listed as a repeat and redriven once', async () => {
    const event = freshStory(120)[0] as Record<string, unknown>;
    const producer = exchange.kafka.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    // The same dead letter twice, as the relay resends it when its first copy was not read back.
    const { message } = toKafkaMessage(exchange.codec, event);
    const headers = {
      ...message.headers,
      dlq_id: randomUUID(),
      dlq_error_code: 'PASSPORT_HANDLER_TIMEOUT',
      dlq_original_topic: exchange.topics.actual(TOPICS.cooperationRequests),
      dlq_original_partition: '0',
      dlq_original_offset: '9',
      dlq_consumer_group: 'accio.exchange',
    };
    const ids: string[] = [];
    try {
      for (let copy = 0; copy < 2; copy += 1) {
        const [sent] = await producer.send({
          topic: exchange.topics.deadLetterOf('accio'),
          acks: -1,
          messages: [{ ...message, headers }],
        });
        ids.push(`accio/${sent?.partition}:${sent?.baseOffset}`);
      }
    } finally {
      await producer.disconnect();
    }
    const [first, repeat] = ids as [string, string];

    type Page = { deadLetters: Array<{ id: string; repeatOf: string | null }> };
    const listed = (await passport(['dlq', 'list', '--agency', 'accio', '--json'], env)).json<Page>();
    expect(listed.deadLetters.map((d) => [d.id, d.repeatOf])).toEqual([
      [first, null],
      [repeat, first],
    ]);
    const named = await passport(['dlq', 'redrive', first, repeat], env);
    expect(named.code).toBe(2);
    expect(named.err).toMatch(/is a copy \(same dlq_id\)/);

    const all = await passport(['dlq', 'redrive', '--all', '--agency', 'accio'], env);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/^1 dead letter\(s\) republished.*; 1 repeated copy\(ies\) skipped/);
    const tail = await passport(['tail', 'requests', '--json', '--request', event.requestId as string], env);
    expect(tail.lines()).toHaveLength(1);
    const again = await passport(['dlq', 'redrive', repeat], env);
    expect(again.code).toBe(2);
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
      // Six story events, the hostile-header one and the three redriven dead letters (two, then one
      // copy of the dead letter sent twice).
      expect(lags.reduce((sum, l) => sum + l.lag, 0n)).toBe(10n);
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
    for (const command of [
      'topics',
      'groups',
      'tail',
      'trace',
      'verify',
      'dlq',
      'export',
      'import',
      'replay',
      'kpis',
    ])
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
