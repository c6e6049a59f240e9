import type { Admin } from 'kafkajs';
import type { Database } from './db/database';

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
 * /readyz: the three things the service cannot work without, each probed with a short timeout, and
 * its consumer, which must be in its group: a service that answers but no longer consumes is not ready.
 */
export function readinessProbe(deps: {
  db: Database;
  admin: Admin;
  registryUrl: string;
  consumer: () => Check;
}) {
  return async (): Promise<Record<string, Check>> => {
    const [database, broker, registry] = await Promise.all([
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
        const response = await fetch(`${deps.registryUrl}/subjects`, { signal: AbortSignal.timeout(2_000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      }),
    ]);
    return { database, broker, registry, consumer: deps.consumer() };
  };
}
