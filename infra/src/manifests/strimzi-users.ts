import type { Agency } from '@passport/config';
import * as kafka from 'kafkajs';
import { ADMIN_PRINCIPAL } from '../cluster-secrets';
import { aclsForAgency } from '../topology/acls';
import { clusterMember, type StrimziResource } from './strimzi-cluster';

/** Strimzi's spellings (KafkaUser spec.authorization.acls) of the kafkajs codes the declaration uses. */
const RESOURCE_TYPES = new Map<kafka.AclResourceTypes, string>([
  [kafka.AclResourceTypes.TOPIC, 'topic'],
  [kafka.AclResourceTypes.GROUP, 'group'],
  [kafka.AclResourceTypes.CLUSTER, 'cluster'],
  [kafka.AclResourceTypes.TRANSACTIONAL_ID, 'transactionalId'],
]);
const PATTERN_TYPES = new Map<kafka.ResourcePatternTypes, string>([
  [kafka.ResourcePatternTypes.LITERAL, 'literal'],
  [kafka.ResourcePatternTypes.PREFIXED, 'prefix'],
]);
const OPERATIONS = new Map<kafka.AclOperationTypes, string>([
  [kafka.AclOperationTypes.READ, 'Read'],
  [kafka.AclOperationTypes.WRITE, 'Write'],
  [kafka.AclOperationTypes.CREATE, 'Create'],
  [kafka.AclOperationTypes.DELETE, 'Delete'],
  [kafka.AclOperationTypes.ALTER, 'Alter'],
  [kafka.AclOperationTypes.DESCRIBE, 'Describe'],
  [kafka.AclOperationTypes.CLUSTER_ACTION, 'ClusterAction'],
  [kafka.AclOperationTypes.ALTER_CONFIGS, 'AlterConfigs'],
  [kafka.AclOperationTypes.DESCRIBE_CONFIGS, 'DescribeConfigs'],
  [kafka.AclOperationTypes.IDEMPOTENT_WRITE, 'IdempotentWrite'],
  [kafka.AclOperationTypes.ALL, 'All'],
]);

export interface StrimziAclRule {
  type: 'allow' | 'deny';
  resource: { type: string; name: string; patternType: string };
  host: string;
  operations: string[];
}

function strimziName<Code>(table: Map<Code, string>, code: Code, what: string): string {
  const name = table.get(code);
  if (name === undefined)
    throw new Error(`the ACL declaration uses ${what} ${String(code)}, unknown to Strimzi`);
  return name;
}

/** One rule per resource, its operations in declaration order, as Strimzi groups them. */
export function strimziAclRules(acls: readonly kafka.AclEntry[]): StrimziAclRule[] {
  const rules = new Map<string, StrimziAclRule>();
  for (const acl of acls) {
    const rule: StrimziAclRule = {
      type: acl.permissionType === kafka.AclPermissionTypes.DENY ? 'deny' : 'allow',
      resource: {
        type: strimziName(RESOURCE_TYPES, acl.resourceType, 'resource type'),
        name: acl.resourceName,
        patternType: strimziName(PATTERN_TYPES, acl.resourcePatternType, 'pattern type'),
      },
      host: acl.host,
      operations: [],
    };
    const key = JSON.stringify({ ...rule, operations: undefined });
    const grouped = rules.get(key) ?? rule;
    grouped.operations.push(strimziName(OPERATIONS, acl.operation, 'operation'));
    rules.set(key, grouped);
  }
  return [...rules.values()];
}

/**
 * Strimzi makes the KafkaUser's name its user name: the agency id, as in the ACL declaration. With
 * SCRAM (the default) the User Operator generates its password into a Secret of that name; with `tls`
 * it issues a client certificate whose CN is that name, for the mTLS listener, and the ACLs follow.
 */
export function agencyUser(agency: Pick<Agency, 'id' | 'kafkaAuthentication'>): StrimziResource {
  return clusterMember('KafkaUser', agency.id, {
    authentication: { type: agency.kafkaAuthentication ?? 'scram-sha-512' },
    authorization: { type: 'simple', acls: strimziAclRules(aclsForAgency(agency)) },
  });
}

/** The operator's principal: a super user of the Kafka resource, so it needs no ACLs of its own. */
export function adminUser(): StrimziResource {
  return clusterMember('KafkaUser', ADMIN_PRINCIPAL, { authentication: { type: 'scram-sha-512' } });
}
