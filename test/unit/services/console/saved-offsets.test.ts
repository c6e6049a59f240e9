import { parseSavedOffsets, restoreProblems, SAVED_OFFSETS_FORMAT } from '@passport/console/saved-offsets';

const saved = {
  format: SAVED_OFFSETS_FORMAT,
  group: 'aura.exchange',
  savedAt: '2026-12-04T19:00:00.000Z',
  positions: [
    { topic: 'passport.cooperation-requests.v1', partition: 0, offset: '12' },
    { topic: 'passport.cooperation-requests.v1', partition: 1, offset: '0' },
  ],
};

describe('saved offsets', () => {
  it('reads back what export writes', () => {
    expect(parseSavedOffsets(JSON.stringify(saved), 'f.json')).toEqual(saved);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['another format', JSON.stringify({ ...saved, format: 'kafka-offsets' }), /format/],
    ['no positions', JSON.stringify({ ...saved, positions: [] }), /positions/],
    [
      'a negative offset',
      JSON.stringify({ ...saved, positions: [{ topic: 't', partition: 0, offset: '-1' }] }),
      /positions\.0\.offset/,
    ],
  ])('refuses %s, naming the field', (_what, text, message) => {
    expect(() => parseSavedOffsets(text, 'f.json')).toThrow(message);
  });

  it('accepts positions between what the topic keeps and its end, both included', () => {
    const marks = { low: '0', high: '12' };
    expect(restoreProblems(saved.positions, () => marks)).toEqual([]);
  });

  it('refuses positions retention already passed, past the end, or on a missing partition', () => {
    const problems = restoreProblems(
      [
        { topic: 'a', partition: 0, offset: '4' },
        { topic: 'a', partition: 1, offset: '40' },
        { topic: 'b', partition: 0, offset: '0' },
      ],
      (topic, partition) => (topic === 'a' ? { low: partition === 0 ? '5' : '0', high: '30' } : undefined),
    );
    expect(problems).toEqual([
      'a/0@4: before the first kept offset 5 (retention deleted the records between)',
      'a/1@40: past the end of the partition (30)',
      'b/0@0: no such partition on this cluster',
    ]);
  });
});
