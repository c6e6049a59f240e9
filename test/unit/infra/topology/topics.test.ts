import { DEAD_LETTER_MAX_MESSAGE_BYTES, deadLetterTopicOf, TOPICS } from '@passport/config';
import { topicDeclarations } from '@passport/infra/topology/topics';

describe('topic declarations', () => {
  it('declare the exchange topics and one dead-letter topic per agency, a fifth one included', () => {
    const names = topicDeclarations([{ id: 'bwi' }, { id: 'aura' }, { id: 'wales' }]).map((t) => t.name);
    expect(names).toEqual([
      ...Object.values(TOPICS),
      'passport.dead-letter.bwi.v1',
      'passport.dead-letter.aura.v1',
      'passport.dead-letter.wales.v1',
    ]);
    expect(names).not.toContain('passport.dead-letter.v1');
  });

  it('give each dead-letter topic the max.message.bytes its producer shrinks records to', () => {
    const [declaration] = topicDeclarations([{ id: 'bwi' }]).filter(
      (t) => t.name === deadLetterTopicOf('bwi'),
    );
    expect(declaration).toMatchObject({ maxMessageBytes: DEAD_LETTER_MAX_MESSAGE_BYTES, partitions: 3 });
  });
});
