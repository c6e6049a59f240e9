import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '@passport/bus';
import { TOPICS } from '@passport/config';
import { logLevel, type Consumer } from 'kafkajs';
import type { RunningCluster } from '@passport/infra/sources/running-cluster';

/** Times from "POST sent" to "candidates on the reply topic", for requests this bench sent. */
export class ReplyClock {
  private readonly sentAt = new Map<string, number>();
  /** Answers seen before the API's response told us the request id (possible, if unlikely). */
  private readonly answeredAt = new Map<string, number>();
  private readonly latencies: number[] = [];
  private waiting: { count: number; done: () => void } | undefined;

  constructor(private readonly waitForAnswersMs: number) {}

  sent(requestId: string, at: number): void {
    const answered = this.answeredAt.get(requestId);
    if (answered === undefined) this.sentAt.set(requestId, at);
    else this.record(answered - at);
  }

  answered(requestId: string): void {
    const sent = this.sentAt.get(requestId);
    if (sent === undefined) {
      this.answeredAt.set(requestId, performance.now());
      return;
    }
    this.sentAt.delete(requestId);
    this.record(performance.now() - sent);
  }

  private record(latency: number): void {
    this.latencies.push(latency);
    if (this.waiting && this.latencies.length >= this.waiting.count) this.waiting.done();
  }

  /** Resolves with the latencies once `count` answers are in; fails after a bounded wait. */
  async collect(count: number): Promise<number[]> {
    if (this.latencies.length < count)
      await Promise.race([
        new Promise<void>((done) => (this.waiting = { count, done })),
        sleep(this.waitForAnswersMs).then(() => {
          throw new Error(
            `only ${this.latencies.length} of ${count} answered within ${this.waitForAnswersMs} ms`,
          );
        }),
      ]);
    this.waiting = undefined;
    return this.latencies.splice(0);
  }
}

/** A consumer of the reply topic, from its end, that tells the clock of every answer it sees. */
export async function watchReplies(cluster: RunningCluster, clock: ReplyClock): Promise<Consumer> {
  const watcher = createKafka(cluster.connection, {
    clientId: 'bench-e2e',
    logLevel: logLevel.NOTHING,
  }).consumer({
    groupId: `bench-e2e-${randomUUID()}`,
    // The stopwatch must not add kafkajs' fetch wait (5 s by default) to what it measures.
    maxWaitTimeInMs: 10,
  });
  await watcher.connect();
  await watcher.subscribe({ topic: TOPICS.candidateReplies, fromBeginning: false });
  const joined = new Promise<void>((resolvePromise) =>
    watcher.on(watcher.events.GROUP_JOIN, () => resolvePromise()),
  );
  void watcher.run({ eachMessage: async ({ message }) => clock.answered(message.key?.toString() ?? '') });
  await joined;
  return watcher;
}
