import { randomBytes } from 'node:crypto';
import { EventDecodeError } from '@passport/errors';
import type { PassportEvent } from './catalogue';
import { NAMESPACE } from './schema/schema-files';

/**
 * CloudEvents 1.0 Kafka protocol binding, binary mode: the event's attributes travel as `ce_`-prefixed
 * headers and the data is the message value; `content-type` names the value's encoding. W3C Trace
 * Context's `traceparent` rides along. No header ever carries personal data (DESIGN.md §6).
 */
export const CE_SPEC_VERSION = '1.0';
/** The value is Avro in the Confluent wire format (schema id in the first five bytes). */
export const CONTENT_TYPE = 'application/avro';

export interface CloudEventAttributes {
  id: string;
  source: string;
  type: string;
  time: Date;
  subject: string | undefined;
  traceparent: string | undefined;
}

export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;

export function cloudEventType(eventType: string): string {
  return `${NAMESPACE}.${eventType}.v1`;
}

export function cloudEventSource(agencyId: string): string {
  return `/passport/agencies/${agencyId}`;
}

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A fresh W3C trace context: version 00, random trace and parent ids, sampled. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export function buildHeaders(
  event: PassportEvent,
  traceparent: string = newTraceparent(),
): Record<string, string> {
  return {
    ce_specversion: CE_SPEC_VERSION,
    ce_id: event.eventId,
    ce_source: cloudEventSource(event.source),
    ce_type: cloudEventType(event.type),
    ce_time: event.occurredAt.toISOString(),
    ce_subject: event.requestId,
    'content-type': CONTENT_TYPE,
    traceparent,
  };
}

/** The event type a `ce_type` header names (`CooperationRequested` for `<namespace>.CooperationRequested.v1`). */
export function eventTypeOfCloudEventType(ceType: string): string | undefined {
  const prefix = `${NAMESPACE}.`;
  if (!ceType.startsWith(prefix)) return undefined;
  const [eventType] = ceType.slice(prefix.length).split('.');
  return eventType || undefined;
}

/** One header as text; the first value when it is repeated. */
export function headerText(
  headers: Record<string, KafkaHeaderValue> | undefined,
  name: string,
): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString('utf8');
}

function required(headers: Record<string, KafkaHeaderValue> | undefined, name: string): string {
  const value = headerText(headers, name);
  if (value === undefined || value === '') throw new EventDecodeError(`missing CloudEvents header ${name}`);
  return value;
}

export function parseHeaders(headers: Record<string, KafkaHeaderValue> | undefined): CloudEventAttributes {
  const specVersion = required(headers, 'ce_specversion');
  if (specVersion !== CE_SPEC_VERSION)
    throw new EventDecodeError(`unsupported ce_specversion ${specVersion}`);
  const contentType = headerText(headers, 'content-type');
  if (contentType !== undefined && contentType !== CONTENT_TYPE)
    throw new EventDecodeError(`unsupported content-type ${contentType}`);
  const time = new Date(required(headers, 'ce_time'));
  if (Number.isNaN(time.getTime())) throw new EventDecodeError('ce_time is not an RFC 3339 timestamp');
  const traceparent = headerText(headers, 'traceparent');
  return {
    id: required(headers, 'ce_id'),
    source: required(headers, 'ce_source'),
    type: required(headers, 'ce_type'),
    time,
    subject: headerText(headers, 'ce_subject'),
    traceparent: traceparent !== undefined && TRACEPARENT.test(traceparent) ? traceparent : undefined,
  };
}

/** Headers and value must tell the same story; a mismatch means a tampered or mis-built message. */
export function assertHeadersMatch(attributes: CloudEventAttributes, event: PassportEvent): void {
  const expected: Array<[string, string, string]> = [
    ['ce_id', attributes.id, event.eventId],
    ['ce_type', attributes.type, cloudEventType(event.type)],
    ['ce_source', attributes.source, cloudEventSource(event.source)],
  ];
  for (const [header, actual, wanted] of expected) {
    if (actual !== wanted)
      throw new EventDecodeError(`${header} is "${actual}" but the event says "${wanted}"`);
  }
}
