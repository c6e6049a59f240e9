import {
  assertHeadersMatch,
  buildHeaders,
  eventTypeOfCloudEventType,
  headerText,
  newTraceparent,
  parseHeaders,
  validateOutgoing,
} from '@passport/events';
import { candidatesProposedSample } from '../../../fixtures/events';

const event = validateOutgoing(candidatesProposedSample);

describe('CloudEvents binary-mode headers', () => {
  it('carry the event attributes and a W3C traceparent, and parse back from Kafka buffers', () => {
    const traceparent = newTraceparent();
    const headers = buildHeaders(event, traceparent);
    expect(headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.eventId,
      ce_source: '/passport/agencies/accio',
      ce_type: 'eu.fourmotors.passport.CandidatesProposed.v1',
      ce_time: '2026-03-10T10:00:00.000Z',
      ce_subject: event.requestId,
      'content-type': 'application/avro',
      traceparent,
    });
    const asReceived = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    const attributes = parseHeaders(asReceived);
    expect(attributes).toMatchObject({
      id: event.eventId,
      type: headers.ce_type,
      traceparent,
      time: event.occurredAt,
    });
    expect(() => assertHeadersMatch(attributes, event)).not.toThrow();
  });

  it('read one header from what kafkajs hands over, and name the event type of a ce_type', () => {
    const headers = { ce_id: [Buffer.from('first'), Buffer.from('second')], ce_source: Buffer.from('/x') };
    expect(headerText(headers, 'ce_id')).toBe('first');
    expect(headerText(headers, 'ce_source')).toBe('/x');
    expect(headerText(headers, 'ce_type')).toBeUndefined();
    expect(eventTypeOfCloudEventType(buildHeaders(event).ce_type ?? '')).toBe('CandidatesProposed');
    expect(eventTypeOfCloudEventType('org.example.Other.v1')).toBeUndefined();
    expect(eventTypeOfCloudEventType('eu.fourmotors.passport.')).toBeUndefined();
  });

  it('generates distinct, well-formed trace contexts', () => {
    const [a, b] = [newTraceparent(), newTraceparent()];
    expect(a).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(a).not.toBe(b);
  });

  it('names a missing header, a wrong spec version and a mismatch between headers and value', () => {
    const headers = buildHeaders(event);
    const { ce_id: _omitted, ...withoutId } = headers;
    expect(() => parseHeaders(withoutId)).toThrow('missing CloudEvents header ce_id');
    expect(() => parseHeaders({ ...headers, ce_specversion: '0.3' })).toThrow(
      'unsupported ce_specversion 0.3',
    );
    const forged = parseHeaders({ ...headers, ce_type: 'eu.fourmotors.passport.NoCandidatesFound.v1' });
    expect(() => assertHeadersMatch(forged, event)).toThrow(
      /ce_type is "eu.fourmotors.passport.NoCandidatesFound.v1"/,
    );
  });

  it('drop a malformed traceparent instead of propagating it', () => {
    expect(parseHeaders({ ...buildHeaders(event), traceparent: 'garbage' }).traceparent).toBeUndefined();
  });
});
