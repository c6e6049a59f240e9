import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
} from 'kafkajs';

/**
 * A DENY on one consumer group for one agency's principal. It beats the agency's prefixed ALLOW, so
 * the broker refuses that group alone: a real, non-retriable cause for kafkajs to stop a consumer,
 * touching no other test's group. The same object creates the ACL and, as a filter, deletes it.
 */
export function groupDenial(agencyId: string, group: string): AclEntry {
  return {
    resourceType: AclResourceTypes.GROUP,
    resourceName: group,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: `User:${agencyId}`,
    host: '*',
    operation: AclOperationTypes.ALL,
    permissionType: AclPermissionTypes.DENY,
  };
}
