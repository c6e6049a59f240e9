import { topicNames } from '@passport/streams';
import type { DeadLetter } from '@passport/console/dead-letters';
import { redriveHeaders, redriveRefusal } from '@passport/console/redrive';

const topics = topicNames('.t1', ['bwi', 'aura']);

function letter(
  agency: string,
  headers: Record<string, string>,
  topic = topics.deadLetterOf(agency),
): DeadLetter {
  return {
    agency,
    topic,
    partition: 1,
    offset: '4',
    timestamp: '0',
    key: 'k',
    value: Buffer.from('v'),
    raw: { key: Buffer.from('k'), headers: {} },
    headers: {
      ce_id: 'e1',
      dlq_error_code: 'PASSPORT_EVENT_INVALID',
      dlq_original_topic: 'passport.outcomes.v1.t1',
      dlq_original_partition: '2',
      dlq_original_offset: '17',
      dlq_consumer_group: `${agency}.exchange`,
      ...headers,
    },
  };
}

describe('redriveRefusal', () => {
  it("accepts a dead letter of an agency's own consumer, from an exchange topic of this run", () => {
    expect(redriveRefusal(topics, letter('bwi', {}))).toBeUndefined();
  });

  it.each([
    ['another agency’s group', { dlq_consumer_group: 'aura.exchange' }, /not a consumer group of bwi/],
    ['a group merely starting with the id', { dlq_consumer_group: 'bwiX.exchange' }, /not a consumer group/],
    ['no group', { dlq_consumer_group: undefined }, /dlq_consumer_group missing/],
    ['a group too long to be ours', { dlq_consumer_group: `bwi.${'x'.repeat(10_000)}` }, /not a consumer/],
    ['a topic outside the exchange', { dlq_original_topic: '__consumer_offsets' }, /not an exchange topic/],
    ['an exchange topic of another run', { dlq_original_topic: 'passport.outcomes.v1' }, /not an exchange/],
    ['a dead-letter topic', { dlq_original_topic: topics.deadLetterOf('aura') }, /not an exchange topic/],
    ['a truncated record', { dlq_truncated: 'value 2097152' }, /truncated/],
    ['a partition that is no number', { dlq_original_partition: '1; rm' }, /must be numbers/],
  ])('refuses %s', (_what, headers, reason) => {
    const defined = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined));
    const base = letter('bwi', defined as Record<string, string>);
    for (const [name, value] of Object.entries(headers)) if (value === undefined) delete base.headers[name];
    expect(redriveRefusal(topics, base)).toMatch(reason);
  });

  it('refuses a dead letter not on the dead-letter topic of the agency it names', () => {
    expect(redriveRefusal(topics, letter('bwi', {}, topics.deadLetterOf('aura')))).toMatch(/known agency/);
    expect(redriveRefusal(topics, letter('bwi', {}, 'passport.dead-letter.v1'))).toMatch(/known agency/);
  });

  it('republishes the original headers without the dead-letter context, noting the redrive', () => {
    const headers = redriveHeaders(letter('bwi', {}), '2026-12-03T00:00:00.000Z');
    expect(headers).toEqual({
      ce_id: 'e1',
      passport_redriven_from: 'bwi/1:4',
      passport_redriven_at: '2026-12-03T00:00:00.000Z',
    });
  });
});
