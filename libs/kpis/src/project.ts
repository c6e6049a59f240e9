import type { PassportEvent } from '@passport/events';
import { monthKpis, regionKpis } from './compute';
import type { Kpis } from './kpis';
import { mayCount, partiesOf } from './parties';
import { foldEvent, type EventLog } from './request-state';

/**
 * The success evaluation as a pure function of the events. Duplicates (a redelivered eventId) count
 * once and arrival order does not matter, so reading the topics again from offset zero, in whatever
 * partition interleaving, gives exactly the same numbers. Only events their sender may send count
 * (parties.ts follows the services' rules of who may say what). `agencies` lists regions to report
 * even when they have no events yet.
 */
export function projectKpis(events: Iterable<PassportEvent>, agencies: readonly string[] = []): Kpis {
  const log: EventLog = { requests: new Map(), latest: 0, months: new Map() };
  const seen = new Set<string>();
  const unique: PassportEvent[] = [];
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    unique.push(event);
  }
  const parties = partiesOf(unique);
  for (const event of unique) if (mayCount(event, parties)) foldEvent(log, event);
  const regionIds = new Set(agencies);
  for (const state of log.requests.values()) {
    if (state.home) regionIds.add(state.home);
    state.targets.forEach((target) => regionIds.add(target));
  }
  const regions = Object.fromEntries([...regionIds].sort().map((id) => [id, regionKpis(log, id)]));
  return { events: seen.size, overall: regionKpis(log), regions, months: monthKpis(log) };
}
