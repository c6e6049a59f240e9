import { registryCall } from '@passport/bus';
import type { RegistrySettings } from '@passport/config';
import type { Admin } from 'kafkajs';
import type { Database } from './db/database';
import { deadLetterHealth } from './store/dead-letter-outbox';
import { publicationHealth } from './store/outbox-confirmation';

export type Check = { ok: boolean; detail?: string };

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await probe();
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

/**
 * Fails when an event or a dead letter sent long ago has still not been read back from its topic:
 * the service is not delivering what it accepted or parked, whatever the broker acknowledged.
 */
async function publicationCheck(db: Database, alertMs: number, now: number): Promise<Check> {
  const [events, deadLetters] = await Promise.all([publicationHealth(db), deadLetterHealth(db)]);
  const details: string[] = [];
  const report = (what: string, count: number, firstSentAt: number | undefined) => {
    if (firstSentAt === undefined || now - firstSentAt <= alertMs) return;
    const seconds = Math.round((now - firstSentAt) / 1000);
    details.push(`${count} ${what}, the oldest first sent ${seconds} s ago`);
  };
  report('published event(s) not seen on their topic', events.unconfirmed, events.oldestFirstPublishedAt);
  report(
    'dead letter(s) not seen on the dead-letter topic',
    deadLetters.unconfirmed,
    deadLetters.oldestFirstPublishedAt,
  );
  return details.length === 0 ? { ok: true } : { ok: false, detail: details.join('; ') };
}

/**
 * /readyz: the three things the service cannot work without, each probed with a short timeout, its
 * consumer, which must be in its group (a service that answers but no longer consumes is not ready),
 * and its publication, which must reach the topics.
 */
export function readinessProbe(deps: {
  db: Database;
  admin: Admin;
  registry: RegistrySettings;
  consumer: () => Check;
  unconfirmedAlertMs: number;
}) {
  return async (): Promise<Record<string, Check>> => {
    const [database, broker, registry, publication] = await Promise.all([
      check(() => deps.db.query('SELECT 1 AS ok')),
      check(() =>
        Promise.race([
          deps.admin.describeCluster(),
          // unref: an answered probe must not leave its timer holding the process open.
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error('no answer within 2 s')), 2_000).unref(),
          ),
        ]),
      ),
      check(async () => {
        // As the agency's own read-only client, over HTTPS checked against the registry's CA.
        const { status } = await registryCall(deps.registry, '/subjects', { timeoutMs: 2_000 });
        if (status >= 300) throw new Error(`HTTP ${status}`);
      }),
      publicationCheck(deps.db, deps.unconfirmedAlertMs, Date.now()).catch((error: unknown): Check => ({
        ok: false,
        detail: (error as Error).message,
      })),
    ]);
    return { database, broker, registry, consumer: deps.consumer(), publication };
  };
}
