import { eventToJson, type PassportEvent } from '@passport/events';
import type { DecodedMessage } from '@passport/streams';
import { verdictText, type Verdict } from './verdict';
import { visibleText } from './visible-text';

/** A message as tail and trace show it: decoded, with its signature's verdict. */
export type ShownMessage = DecodedMessage & { signature: Verdict };

export interface MessageFilter {
  type?: string;
  agency?: string;
  request?: string;
  key?: string;
}

/** Agencies an event concerns: its sender and whoever it is addressed to or targets. */
function agenciesOf(event: PassportEvent): string[] {
  const payload = event.payload as { addressedTo?: string; profile?: { targetAgencies?: string[] } };
  return [event.source, payload.addressedTo ?? '', ...(payload.profile?.targetAgencies ?? [])];
}

export function matches(message: DecodedMessage, filter: MessageFilter): boolean {
  if (filter.key !== undefined && message.key !== filter.key) return false;
  const event = message.event;
  if (!event) return filter.type === undefined && filter.agency === undefined && filter.request === undefined;
  if (filter.type !== undefined && event.type !== filter.type) return false;
  if (filter.request !== undefined && event.requestId !== filter.request) return false;
  return filter.agency === undefined || agenciesOf(event).includes(filter.agency);
}

/** The NDJSON/`--json` shape of a message: Dates kept as `{"$date": …}` like fixtures and exports. */
export function messageJson(message: ShownMessage): string {
  const { value, raw: _raw, ...rest } = message;
  return eventToJson({ ...rest, valueBytes: value?.length ?? 0 });
}

/** Header names and values, keys and error texts come from partners: each is shown escaped, on its line. */
export function messageText(message: ShownMessage): string {
  const where = `${message.topic}/${message.partition}@${message.offset}`;
  // The event's own time tells the story; the broker's timestamp only says when it was published.
  const time = (message.event?.occurredAt ?? new Date(Number(message.timestamp))).toISOString();
  const what = message.event
    ? `${message.event.type} from ${message.event.source} request ${message.event.requestId}`
    : `undecodable: ${message.error?.code} ${visibleText(message.error?.message)} (key ${visibleText(message.key)})`;
  const headers = Object.entries(message.headers)
    .map(([name, value]) => `${visibleText(name)}=${visibleText(value)}`)
    .join(' ');
  const body = message.event ? `\n  ${eventToJson(message.event.payload)}` : '';
  const signature = `\n  signature: ${visibleText(verdictText(message.signature))}`;
  return `${where} ${time} ${what}${signature}\n  headers: ${headers}${body}`;
}
