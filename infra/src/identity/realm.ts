import { httpCall, type HttpCall } from '@passport/bus';
import { ProvisioningError } from '@passport/errors';
import { ADMIN_PRINCIPAL, type ClusterSecrets } from '../cluster-secrets';
import { BOOTSTRAP_CLIENT_ID } from './keycloak';

type Log = (line: string) => void;

export const REALM = 'passport';

/**
 * The registry's access levels as realm roles. Apicurio reads them from the token's realm roles under
 * these names (its defaults): admin may do anything, developer may write schemas, read-only may look up.
 */
export const REGISTRY_ROLES = {
  admin: 'sr-admin',
  developer: 'sr-developer',
  readOnly: 'sr-readonly',
} as const;

/** The operator administers the registry; every agency only reads. */
export function registryRoleOf(principal: string): string {
  return principal === ADMIN_PRINCIPAL ? REGISTRY_ROLES.admin : REGISTRY_ROLES.readOnly;
}

interface AdminApi {
  call(path: string, method?: string, body?: unknown): Promise<{ status: number; json: unknown }>;
}

async function signIn(baseUrl: string, caFile: string, secret: string): Promise<string> {
  const { status, text } = await httpCall(`${baseUrl}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    caFile,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: BOOTSTRAP_CLIENT_ID,
      client_secret: secret,
    }).toString(),
  });
  if (status !== 200)
    throw new ProvisioningError(`Keycloak refused the bootstrap admin client: HTTP ${status}.`);
  return (JSON.parse(text) as { access_token: string }).access_token;
}

function adminApi(baseUrl: string, caFile: string, token: string): AdminApi {
  return {
    async call(path, method = 'GET', body) {
      const request: HttpCall = {
        method,
        caFile,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      };
      const { status, text } = await httpCall(`${baseUrl}/admin/realms${path}`, request);
      if (status >= 400 && status !== 404)
        throw new ProvisioningError(
          `Keycloak ${method} ${path} failed: HTTP ${status} ${text.slice(0, 200)}`,
        );
      return { status, json: text ? (JSON.parse(text) as unknown) : null };
    },
  };
}

async function ensureRealm(api: AdminApi): Promise<void> {
  if ((await api.call(`/${REALM}`)).status === 404)
    await api.call('', 'POST', { realm: REALM, enabled: true });
  for (const role of Object.values(REGISTRY_ROLES)) {
    if ((await api.call(`/${REALM}/roles/${role}`)).status === 404)
      await api.call(`/${REALM}/roles`, 'POST', { name: role });
  }
}

/** A confidential client with a service account only: it can get tokens with its secret, nothing more. */
async function ensureClient(api: AdminApi, clientId: string, secret: string): Promise<string> {
  const wanted = {
    clientId,
    enabled: true,
    publicClient: false,
    serviceAccountsEnabled: true,
    standardFlowEnabled: false,
    directAccessGrantsEnabled: false,
    clientAuthenticatorType: 'client-secret',
    secret,
  };
  const find = async () =>
    (
      (await api.call(`/${REALM}/clients?clientId=${encodeURIComponent(clientId)}`)).json as { id: string }[]
    )[0];
  const existing = await find();
  if (existing) await api.call(`/${REALM}/clients/${existing.id}`, 'PUT', wanted);
  else await api.call(`/${REALM}/clients`, 'POST', wanted);
  const client = existing ?? (await find());
  if (!client) throw new ProvisioningError(`Keycloak did not keep client ${clientId}.`);
  return client.id;
}

/** Gives the client's service account exactly one registry role, removing any other it had. */
async function ensureRole(api: AdminApi, clientUuid: string, role: string): Promise<void> {
  const user = (await api.call(`/${REALM}/clients/${clientUuid}/service-account-user`)).json as {
    id: string;
  };
  const mappings = `/${REALM}/users/${user.id}/role-mappings/realm`;
  const current = (await api.call(mappings)).json as { id: string; name: string }[];
  const registryRoles: string[] = Object.values(REGISTRY_ROLES);
  const stale = current.filter((held) => registryRoles.includes(held.name) && held.name !== role);
  if (stale.length > 0) await api.call(mappings, 'DELETE', stale);
  if (!current.some((held) => held.name === role)) {
    const representation = (await api.call(`/${REALM}/roles/${role}`)).json;
    await api.call(mappings, 'POST', [representation]);
  }
}

/**
 * Sets up the realm the registry trusts: its roles, and a client per principal whose secret is the one
 * in the profile's secrets file. Safe to run at every start.
 */
export async function provisionRealm(
  baseUrl: string,
  caFile: string,
  secrets: ClusterSecrets,
  principals: readonly string[],
  log: Log,
): Promise<void> {
  const bootstrapSecret = secrets.identityProviderAdmin;
  if (!bootstrapSecret)
    throw new ProvisioningError('The secrets file has no identity-provider admin secret.');
  const api = adminApi(baseUrl, caFile, await signIn(baseUrl, caFile, bootstrapSecret));
  await ensureRealm(api);
  for (const principal of principals) {
    const secret = secrets.registryClients?.[principal];
    if (!secret)
      throw new ProvisioningError(`No registry client secret for ${principal} in the secrets file.`);
    await ensureRole(api, await ensureClient(api, principal, secret), registryRoleOf(principal));
  }
  log(
    `Registry access: realm ${REALM}; ${ADMIN_PRINCIPAL} may write schemas, ${principals.length - 1} agencies read only.`,
  );
}
