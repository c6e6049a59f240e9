import { REGISTRY_ROLES, registryRoleOf } from '@passport/infra/identity/realm';
import { loadAgencies } from '@passport/config';

describe('registry roles', () => {
  it('makes the operator registry admin and every agency read-only', () => {
    expect(registryRoleOf('admin')).toBe(REGISTRY_ROLES.admin);
    for (const agency of loadAgencies()) expect(registryRoleOf(agency.id)).toBe(REGISTRY_ROLES.readOnly);
  });
});
