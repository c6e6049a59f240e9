import { EventEmitter } from 'node:events';
import { ConsumerStoppedError } from '@passport/errors';
import type { Consumer } from 'kafkajs';
import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import pino from 'pino';
import { ConsumerSupervisor } from '@passport/agency-service/kafka/consumer-supervisor';
import { createMetrics } from '@passport/agency-service/metrics';

const GROUP = 'bwi.supervisor-test';

/** Emits what kafkajs emits: GROUP_JOIN once in the group, CRASH with `restart` saying who restarts. */
class FakeConsumer {
  readonly events = { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' } as Consumer['events'];
  disconnects = 0;
  private readonly emitter = new EventEmitter();

  on(event: string, listener: (payload: unknown) => void) {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  async disconnect() {
    this.disconnects += 1;
  }

  join() {
    this.emitter.emit(this.events.GROUP_JOIN, { payload: { groupId: GROUP } });
  }

  crash(error: Error, restart: boolean) {
    this.emitter.emit(this.events.CRASH, { payload: { error, groupId: GROUP, restart } });
  }
}

const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

const fatal = () =>
  new KafkaJSNonRetriableError('Not authorized to access group: Group authorization failed');

function supervise(options: { maxRestarts?: number; startFails?: (attempt: number) => boolean } = {}) {
  const consumers: FakeConsumer[] = [];
  const gaveUp: ConsumerStoppedError[] = [];
  const metrics = createMetrics('bwi');
  let clock = 1_000_000;
  const supervisor = new ConsumerSupervisor({
    groupId: GROUP,
    create: () => {
      const consumer = new FakeConsumer();
      consumers.push(consumer);
      return consumer as unknown as Consumer;
    },
    start: async () => {
      if (options.startFails?.(consumers.length)) throw new Error(`start ${consumers.length} failed`);
    },
    logger: pino({ level: 'silent' }),
    metrics,
    maxRestarts: options.maxRestarts ?? 3,
    backoffMs: 5,
    stableMs: 60_000,
    now: () => clock,
    onGiveUp: (error) => gaveUp.push(error),
  });
  const metric = async (name: string, labels = '') =>
    (await metrics.registry.metrics())
      .split('\n')
      .find((line) => line.startsWith(`${name}{`) && line.includes(labels))
      ?.split(' ')
      .pop();
  const latest = () => consumers[consumers.length - 1] as FakeConsumer;
  return { supervisor, consumers, gaveUp, metric, latest, advance: (ms: number) => (clock += ms) };
}

describe('ConsumerSupervisor', () => {
  it('is ready only in its group, and replaces a consumer kafkajs stopped for good', async () => {
    const { supervisor, consumers, metric, latest } = supervise();
    supervisor.start();
    await until(() => consumers.length === 1, 'the first consumer');
    expect(supervisor.status()).toEqual({ ok: false, detail: expect.stringContaining(`group ${GROUP}`) });
    latest().join();
    expect(supervisor.status()).toEqual({ ok: true });
    expect(await metric('passport_consumer_running')).toBe('1');

    latest().crash(fatal(), false);
    await until(() => !supervisor.status().ok, 'the crash to show');
    const { detail } = supervisor.status();
    expect(detail).toContain(`consumer of group ${GROUP} stopped`);
    expect(detail).toContain('KafkaJSNonRetriableError: Not authorized to access group');
    expect(detail).toContain('restart 1 of at most 3');
    expect(await metric('passport_consumer_running')).toBe('0');

    await until(() => consumers.length === 2, 'a fresh consumer');
    expect(consumers[0]?.disconnects).toBe(1);
    expect(supervisor.status().ok).toBe(false);
    latest().join();
    expect(supervisor.status()).toEqual({ ok: true });
    expect(await metric('passport_consumer_restarts_total', 'by="service"')).toBe('1');
    await supervisor.stop();
    expect(consumers[1]?.disconnects).toBeGreaterThan(0);
    expect(supervisor.status()).toEqual({ ok: false, detail: `consumer of group ${GROUP} is stopped` });
  });

  it('leaves a crash kafkajs restarts to kafkajs, unready until the consumer rejoins', async () => {
    const { supervisor, consumers, metric, latest } = supervise();
    supervisor.start();
    await until(() => consumers.length === 1, 'the first consumer');
    latest().join();
    latest().crash(new KafkaJSNumberOfRetriesExceeded(new Error('database locked'), {} as never), true);
    expect(supervisor.status()).toEqual({
      ok: false,
      detail: expect.stringMatching(/stopped at .*KafkaJSNumberOfRetriesExceeded.*kafkajs restarts it/),
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(consumers).toHaveLength(1);
    latest().join();
    expect(supervisor.status()).toEqual({ ok: true });
    expect(await metric('passport_consumer_restarts_total', 'by="kafkajs"')).toBe('1');
    await supervisor.stop();
  });

  it('gives up once restarts fail more times in a row than allowed, and says why', async () => {
    const { supervisor, consumers, gaveUp, latest } = supervise({
      maxRestarts: 2,
      startFails: (attempt) => attempt > 1,
    });
    supervisor.start();
    await until(() => consumers.length === 1, 'the first consumer');
    latest().join();
    latest().crash(fatal(), false);
    await until(() => gaveUp.length === 1, 'the supervisor to give up');
    expect(consumers).toHaveLength(3);
    const [error] = gaveUp;
    expect(error).toBeInstanceOf(ConsumerStoppedError);
    expect(error?.code).toBe('PASSPORT_CONSUMER_STOPPED');
    expect(error?.details).toMatchObject({ groupId: GROUP, restarts: 2 });
    expect(supervisor.status()).toEqual({ ok: false, detail: error?.message });
    await new Promise((r) => setTimeout(r, 50));
    expect(gaveUp).toHaveLength(1);
    expect(consumers).toHaveLength(3);
    await supervisor.stop();
  });

  it('counts again from one after a consumer stayed in its group long enough', async () => {
    const { supervisor, consumers, gaveUp, latest, advance } = supervise({ maxRestarts: 1 });
    supervisor.start();
    for (let round = 1; round <= 3; round += 1) {
      await until(() => consumers.length === round, `consumer ${round}`);
      latest().join();
      advance(60_000);
      latest().crash(fatal(), false);
    }
    await until(() => consumers.length === 4, 'a fourth consumer');
    expect(gaveUp).toEqual([]);
    // Crashing again at once is the second failure in a row: past the bound of one.
    latest().join();
    latest().crash(fatal(), false);
    await until(() => gaveUp.length === 1, 'the supervisor to give up');
    await supervisor.stop();
  });

  it('waits for the broker before the consumer first runs, however long, without giving up', async () => {
    const { supervisor, consumers, gaveUp, latest } = supervise({
      maxRestarts: 0,
      startFails: (attempt) => attempt <= 3,
    });
    supervisor.start();
    await until(() => consumers.length === 4, 'a fourth attempt');
    expect(supervisor.status().detail).toContain('last attempt: Error: start 3 failed');
    latest().join();
    expect(supervisor.status()).toEqual({ ok: true });
    expect(gaveUp).toEqual([]);
    expect(consumers.slice(0, 3).map((c) => c.disconnects)).toEqual([1, 1, 1]);
    await supervisor.stop();
  });
});
