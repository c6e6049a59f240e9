import { deadLetterTopicOf, TOPICS } from '@passport/config';
import { AclOperationTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { aclsForAgency, declaredAcls, describeAcl } from '@passport/infra/topology/acls';

describe('agency ACLs', () => {
  const acls = aclsForAgency({ id: 'bwi' });

  it('grant nothing on the cluster and no topic administration', () => {
    expect(acls.every((acl) => acl.resourceType !== AclResourceTypes.CLUSTER)).toBe(true);
    const adminOperations = [
      AclOperationTypes.CREATE,
      AclOperationTypes.DELETE,
      AclOperationTypes.ALTER,
      AclOperationTypes.ALTER_CONFIGS,
      AclOperationTypes.ALL,
    ];
    expect(acls.filter((acl) => adminOperations.includes(acl.operation))).toEqual([]);
  });

  it("allow only the agency's own prefixed consumer groups", () => {
    const groups = acls.filter((acl) => acl.resourceType === AclResourceTypes.GROUP);
    expect(groups.map(describeAcl)).toEqual(['User:bwi ALLOW READ GROUP:bwi.* from *']);
    expect(groups[0]?.resourcePatternType).toBe(ResourcePatternTypes.PREFIXED);
  });

  it('let an agency write its own dead letters and read them back, and not touch those of others', () => {
    const onDeadLetters = acls.filter((acl) => acl.resourceName.includes('dead-letter')).map(describeAcl);
    expect(onDeadLetters.sort()).toEqual([
      `User:bwi ALLOW READ TOPIC:${deadLetterTopicOf('bwi')} from *`,
      `User:bwi ALLOW WRITE TOPIC:${deadLetterTopicOf('bwi')} from *`,
    ]);
    const others = declaredAcls([{ id: 'aura' }, { id: 'accio' }]);
    expect(others.filter((acl) => acl.resourceName === deadLetterTopicOf('bwi'))).toEqual([]);
  });

  it('let an agency publish its reminders and read those of the others, nothing more', () => {
    const onReminders = acls.filter((acl) => acl.resourceName === TOPICS.requestReminders).map(describeAcl);
    expect(onReminders.sort()).toEqual([
      `User:bwi ALLOW READ TOPIC:${TOPICS.requestReminders} from *`,
      `User:bwi ALLOW WRITE TOPIC:${TOPICS.requestReminders} from *`,
    ]);
  });

  it('cover every agency in the list, a fifth one included', () => {
    const all = declaredAcls([
      { id: 'bwi' },
      { id: 'aura' },
      { id: 'accio' },
      { id: 'promos' },
      { id: 'wales' },
    ]);
    expect(new Set(all.map((acl) => acl.principal))).toEqual(
      new Set(['User:bwi', 'User:aura', 'User:accio', 'User:promos', 'User:wales']),
    );
    expect(all).toHaveLength(5 * acls.length);
  });
});
