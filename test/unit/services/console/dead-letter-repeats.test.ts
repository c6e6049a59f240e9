import type { DeadLetter } from '@passport/console/dead-letters';
import { deadLetterId } from '@passport/console/dead-letters';
import { dlqIdOf, repeatsIn } from '@passport/console/dead-letter-repeats';
import { copyKey, redrivenKeys } from '@passport/console/redrive';

function letter(agency: string, offset: string, dlqId?: string): DeadLetter {
  return {
    agency,
    topic: `passport.dead-letter.${agency}.v1`,
    partition: 0,
    offset,
    timestamp: '0',
    key: 'k',
    value: Buffer.from('v'),
    raw: { key: Buffer.from('k'), headers: {} },
    headers: dlqId === undefined ? {} : { dlq_id: dlqId },
  };
}

describe('repeated copies of a dead letter', () => {
  it('are found by agency and dlq_id, each pointing at the first copy', () => {
    const letters = [
      letter('bwi', '0', 'a'),
      letter('bwi', '1', 'b'),
      letter('bwi', '2', 'a'),
      letter('aura', '0', 'a'), // another agency's topic: not a copy of bwi's
      letter('bwi', '3'), // no dlq_id (older dead letters): never a repeat
      letter('bwi', '4'),
      letter('bwi', '5', 'a'),
    ];
    expect([...repeatsIn(letters, deadLetterId).entries()]).toEqual([
      ['bwi/0:2', 'bwi/0:0'],
      ['bwi/0:5', 'bwi/0:0'],
    ]);
  });

  it('ignore a dlq_id too long to be ours', () => {
    expect(dlqIdOf(letter('bwi', '0', 'x'.repeat(65)))).toBeUndefined();
    expect(copyKey(letter('bwi', '0', 'x'.repeat(65)))).toBeUndefined();
    expect(copyKey(letter('bwi', '0', 'a'))).toBe('bwi a');
  });

  it('count as redriven once any copy was, by the copy key kept in the redrive log', () => {
    const done = redrivenKeys([
      { deadLetter: 'bwi/0:0', copyOf: 'bwi a', topic: 't', partition: 0, offset: '1', redrivenAt: '' },
      { deadLetter: 'bwi/0:9', topic: 't', partition: 0, offset: '2', redrivenAt: '' },
    ]);
    expect([...done].sort()).toEqual(['bwi a', 'bwi/0:0', 'bwi/0:9']);
    expect(done.has(copyKey(letter('bwi', '2', 'a')) ?? '')).toBe(true);
  });
});
