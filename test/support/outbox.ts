import { loadAgencies } from '@passport/config';
import type { Database } from '../../services/agency/src/db/database';
import { emit, handlerDeps } from '../../services/agency/src/handlers/deps';
import type { createMetrics } from '../../services/agency/src/metrics';

const bwi = loadAgencies().find((a) => a.id === 'bwi') as ReturnType<typeof loadAgencies>[number];

/**
 * Queues one small valid event of BW_i's (a closure of `requestId`) in the outbox, as a command would;
 * returns its outbox row id and event id.
 */
export async function queueClosure(
  db: Database,
  requestId: string,
  reason: 'WITHDRAWN' | 'FULFILLED' = 'WITHDRAWN',
): Promise<{ id: number; eventId: string }> {
  const event = await db.transaction((tx) =>
    emit(handlerDeps(tx, bwi), requestId, {
      type: 'CooperationRequestClosed',
      payload: { reason, note: null },
    }),
  );
  const [row] = await db.query<{ id: number }>('SELECT id FROM outbox WHERE event_id = ?', [event.eventId]);
  return { id: Number(row?.id), eventId: event.eventId };
}

/** The value of an unlabelled metric (besides the agency label) as Prometheus would scrape it. */
export async function metricValue(metrics: ReturnType<typeof createMetrics>, name: string): Promise<number> {
  const line = (await metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{`));
  return Number(line?.split(' ').pop());
}
