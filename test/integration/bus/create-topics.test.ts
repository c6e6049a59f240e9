import { createKafka, createTopicsWhenReadable } from '@passport/bus';
import { logLevel } from 'kafkajs';
import { adminConnection, uniqueName } from '../../support/cluster';

describe('createTopicsWhenReadable', () => {
  const kafka = createKafka(adminConnection(), { clientId: 'create-topics-it', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const names = [uniqueName('test.create-a'), uniqueName('test.create-b'), uniqueName('test.create-c')];

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.deleteTopics({ topics: names }).catch(() => undefined);
    await admin.disconnect();
  });

  it('returns only once every new topic answers offsets for all its partitions, and is repeatable', async () => {
    // Several rounds: the race with the broker's metadata cache shows only now and then.
    for (const [round, topic] of names.entries()) {
      const created = await createTopicsWhenReadable(admin, [{ topic, numPartitions: round + 2 }]);
      expect(created).toBe(true);
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.map((o) => o.partition).sort()).toEqual([...Array(round + 2).keys()]);
    }
    expect(await createTopicsWhenReadable(admin, [{ topic: names[0] as string, numPartitions: 2 }])).toBe(
      false,
    );
  });
});
