import type { PassportEvent } from './catalogue';
import type { EventTopic } from './catalogue';
import {
  assertHeadersMatch,
  buildHeaders,
  parseHeaders,
  type CloudEventAttributes,
  type KafkaHeaderValue,
} from './cloudevents';
import type { EventCodec } from './codec/event-codec';

export interface OutgoingMessage {
  topic: EventTopic;
  event: PassportEvent;
  /** Ready for kafkajs `producer.send`: keyed by requestId so a request's history stays on one partition. */
  message: { key: string; value: Buffer; headers: Record<string, string> };
}

/** The one way an event leaves a service: validated, encoded, keyed and given its CloudEvents headers. */
export function toKafkaMessage(codec: EventCodec, input: unknown, traceparent?: string): OutgoingMessage {
  const { topic, event, value } = codec.encode(input);
  return {
    topic,
    event,
    message: { key: event.requestId, value, headers: buildHeaders(event, traceparent) },
  };
}

/** The one way an event enters a service: headers parsed, value decoded and validated, both agreeing. */
export async function fromKafkaMessage(
  codec: EventCodec,
  topic: EventTopic,
  message: { value: Buffer | null; headers?: Record<string, KafkaHeaderValue> },
): Promise<{ event: PassportEvent; attributes: CloudEventAttributes }> {
  const attributes = parseHeaders(message.headers);
  const event = await codec.decode(topic, message.value);
  assertHeadersMatch(attributes, event);
  return { event, attributes };
}
