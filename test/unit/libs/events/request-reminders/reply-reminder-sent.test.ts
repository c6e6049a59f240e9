import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { TOPICS } from '@passport/config';
import { EventValidationError } from '@passport/errors';
import {
  EventCodec,
  eventTypesOf,
  fromKafkaMessage,
  replyReminderSent,
  toKafkaMessage,
  validateOutgoing,
} from '@passport/events';
import { replyReminderSentSample } from '../../../../fixtures/events';

/** Only what EventCodec.create asks a registry: one fixed id for the reminders subject. */
const SCHEMA_ID = 7;
const registryStub = {
  getRegistryIdBySchema: async () => SCHEMA_ID,
} as unknown as SchemaRegistry;

function refusal(change: Record<string, unknown>): { path: string; message: string } | undefined {
  const candidate = { ...replyReminderSentSample, ...change };
  try {
    validateOutgoing(candidate);
  } catch (error) {
    if (error instanceof EventValidationError) return error.issues[0];
    throw error;
  }
  return undefined;
}

const withPayload = (payload: Record<string, unknown>) => ({
  payload: { ...replyReminderSentSample.payload, ...payload },
});

describe('ReplyReminderSent', () => {
  it('lives alone on the request-reminders topic', () => {
    expect(replyReminderSent.topic).toBe(TOPICS.requestReminders);
    expect(eventTypesOf(TOPICS.requestReminders)).toEqual(['ReplyReminderSent']);
  });

  it('accepts a reminder to a silent partner before the deadline', () => {
    expect(validateOutgoing(replyReminderSentSample)).toMatchObject({
      type: 'ReplyReminderSent',
      source: 'bwi',
      payload: { addressedTo: 'promos', deadline: new Date('2026-04-30T00:00:00.000Z') },
    });
  });

  it.each([
    ['addressed to its own sender', withPayload({ addressedTo: 'bwi' }), 'payload.addressedTo', /sender bwi/],
    [
      'addressed to an unknown agency',
      withPayload({ addressedTo: 'wales' }),
      'payload.addressedTo',
      /unknown agency id "wales"/,
    ],
    [
      'sent at or after the deadline',
      { occurredAt: new Date('2026-04-30T00:00:00.000Z') },
      'payload.deadline',
      /after occurredAt/,
    ],
    ['without a deadline', { payload: { addressedTo: 'promos' } }, 'payload.deadline', /date-time/],
  ])('refuses a reminder %s', (_case, change, path, message) => {
    const issue = refusal(change);
    expect(issue?.path).toBe(path);
    expect(issue?.message).toMatch(message);
  });

  it('keeps nothing but agency ids and the deadline: a contact slipped in is dropped, not carried', () => {
    const event = validateOutgoing({
      ...replyReminderSentSample,
      payload: { ...replyReminderSentSample.payload, contactEmail: 'someone@example.org' },
    });
    expect(Object.keys(event.payload).sort()).toEqual(['addressedTo', 'deadline']);
  });

  it('goes through the Confluent wire format and CloudEvents headers and comes back equal', async () => {
    const codec = await EventCodec.create(registryStub, [TOPICS.requestReminders]);
    const { topic, event, message } = toKafkaMessage(codec, replyReminderSentSample);
    expect(topic).toBe(TOPICS.requestReminders);
    expect(message.key).toBe(replyReminderSentSample.requestId);
    expect(message.value.readUInt32BE(1)).toBe(SCHEMA_ID);
    expect(message.headers.ce_type).toBe('eu.fourmotors.passport.ReplyReminderSent.v1');
    const read = await fromKafkaMessage(codec, topic, message);
    expect(read.event).toEqual(event);
  });
});
