import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type AclEntry,
} from 'kafkajs';
import { describeAcl } from './acls';

export interface AclChanges {
  created: string[];
  deleted: string[];
  unchanged: number;
}

/** Every ACL currently bound to `principal`, flattened to entries. */
export async function currentAcls(admin: Admin, principal: string): Promise<AclEntry[]> {
  const response = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    principal,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  return response.resources.flatMap((resource) =>
    resource.acls.map((acl) => ({
      ...acl,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
      resourcePatternType: resource.resourcePatternType,
    })),
  );
}

/**
 * Makes the ACLs of the given principals exactly the declared ones: grants added by hand to a managed
 * principal are removed, so the declaration in code stays the whole truth about who may do what.
 */
export async function applyAcls(
  admin: Admin,
  principals: readonly string[],
  declared: readonly AclEntry[],
): Promise<AclChanges> {
  const wanted = new Map(declared.map((acl) => [describeAcl(acl), acl]));
  const actual = new Map<string, AclEntry>();
  for (const principal of principals) {
    for (const acl of await currentAcls(admin, principal)) actual.set(describeAcl(acl), acl);
  }
  const toCreate = [...wanted].filter(([key]) => !actual.has(key)).map(([, acl]) => acl);
  const toDelete = [...actual].filter(([key]) => !wanted.has(key)).map(([, acl]) => acl);
  if (toCreate.length > 0) await admin.createAcls({ acl: toCreate });
  if (toDelete.length > 0) await admin.deleteAcls({ filters: toDelete });
  return {
    created: toCreate.map(describeAcl),
    deleted: toDelete.map(describeAcl),
    unchanged: wanted.size - toCreate.length,
  };
}
