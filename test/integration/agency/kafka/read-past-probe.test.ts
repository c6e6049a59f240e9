import { createKafka, createTopicsWhenReadable } from '@passport/bus';
import { EVENT_TOPICS } from '@passport/events';
import { logLevel, Partitioners } from 'kafkajs';
import { adminReadPastProbe } from '@passport/agency-service/kafka/read-past-probe';
import { adminConnection, agencyConnection, uniqueName } from '../../../support/cluster';

describe('the read-past probe on the real broker', () => {
  it('says "read past" only once the group has committed beyond the ends it noted', async () => {
    const kafka = createKafka(adminConnection(), {
      clientId: uniqueName('probe'),
      logLevel: logLevel.NOTHING,
    });
    const topic = uniqueName('test.read-past');
    const groupId = uniqueName('test.read-past-group');
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
    try {
      await createTopicsWhenReadable(admin, [{ topic, numPartitions: 2 }]);
      const probe = adminReadPastProbe(admin, groupId, [topic]);
      expect(await probe.readPast(await probe.snapshot())).toBe(true); // nothing on the topic yet
      await producer.send({
        topic,
        acks: -1,
        messages: ['a', 'b', 'c', 'd'].map((key, index) => ({ key, value: key, partition: index % 2 })),
      });
      const ends = await probe.snapshot();
      expect([...ends.values()]).toEqual([2, 2]);
      expect(await probe.readPast(ends)).toBe(false); // the group has read nothing

      let read = 0;
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const allRead = new Promise<void>((done) => {
        void consumer.run({
          eachMessage: async () => {
            read += 1;
            if (read === 4) done();
          },
        });
      });
      await allRead;
      await consumer.stop(); // commits what was read
      expect(await probe.readPast(ends)).toBe(true);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it("an agency's own principal may ask: the exchange topics' ends and its own group's offsets", async () => {
    const kafka = createKafka(agencyConnection('bwi'), { clientId: 'bwi.probe', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const probe = adminReadPastProbe(admin, uniqueName('bwi.exchange-probe'), EVENT_TOPICS);
      const ends = await probe.snapshot();
      // A group that never committed has read past nothing that is on the topics.
      expect(await probe.readPast(ends)).toBe(ends.size === 0);
    } finally {
      await admin.disconnect();
    }
  });
});
