import { createKafka } from '@passport/bus';
import { deadLetterTopicOf, loadAgencies } from '@passport/config';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import { provision } from '@passport/infra/provision';
import { currentAcls } from '@passport/infra/topology/apply-acls';
import { declaredAcls, describeAcl } from '@passport/infra/topology/acls';
import { topicDeclarations } from '@passport/infra/topology/topics';
import { adminConnection } from '../../support/cluster';

describe('provisioning topics and ACLs as code', () => {
  it('is idempotent and removes grants that are not declared', async () => {
    const kafka = createKafka(adminConnection(), { clientId: 'provision-it', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const rogue = {
      principal: 'User:bwi',
      host: '*',
      resourceType: AclResourceTypes.TOPIC,
      resourceName: deadLetterTopicOf('aura'),
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.READ,
      permissionType: AclPermissionTypes.ALLOW,
    };
    try {
      await admin.createAcls({ acl: [rogue] });
      expect((await currentAcls(admin, 'User:bwi')).map(describeAcl)).toContain(describeAcl(rogue));

      const lines: string[] = [];
      const brokers = (await admin.describeCluster()).brokers.length;
      await provision(
        adminConnection(),
        loadAgencies(),
        { replicationFactor: Math.min(3, brokers), minInsyncReplicas: brokers >= 3 ? 2 : 1, brokers },
        (l) => lines.push(l),
      );

      expect(lines).toContain(
        `Topics: 0 created, 0 grown, ${topicDeclarations(loadAgencies()).length} unchanged.`,
      );
      expect(lines.find((line) => line.startsWith('ACLs:'))).toMatch(
        /^ACLs: 0 created, 1 removed, \d+ unchanged\.$/,
      );
      const actual = (await currentAcls(admin, 'User:bwi')).map(describeAcl).sort();
      const declared = declaredAcls([{ id: 'bwi' }])
        .map(describeAcl)
        .sort();
      expect(actual).toEqual(declared);
    } finally {
      await admin.deleteAcls({ filters: [rogue] });
      await admin.disconnect();
    }
  });
});
