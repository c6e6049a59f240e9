import type { Agency, ConnectionSettings } from '@passport/config';
import { createKafka } from '@passport/bus';
import { ProvisioningError } from '@passport/errors';
import { logLevel } from 'kafkajs';
import { sleep } from './processes';
import { registerSubjects } from './schemas/register';
import { setDefaultCompatibility } from './schemas/registry-api';
import { declaredAcls, principalOf } from './topology/acls';
import { applyAcls } from './topology/apply-acls';
import { applyTopics, type ReplicationSettings } from './topology/apply-topics';
import { topicDeclarations } from './topology/topics';

type Log = (line: string) => void;

/** The registry's default for new subjects; DESIGN.md §3 asks FULL_TRANSITIVE for every subject. */
export const REGISTRY_COMPATIBILITY = 'FULL_TRANSITIVE';

async function waitForBrokers(
  admin: ReturnType<ReturnType<typeof createKafka>['admin']>,
  expected: number,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  let seen = 0;
  while (Date.now() < deadline) {
    try {
      seen = (await admin.describeCluster()).brokers.length;
      if (seen >= expected) return;
    } catch {
      // Brokers refuse metadata requests until they have caught up with the controller quorum.
    }
    await sleep(500);
  }
  throw new ProvisioningError(`Only ${seen} of ${expected} broker(s) joined the cluster within 60 s.`);
}

/** Applies the topic and ACL declaration with the admin principal; safe to run any number of times. */
export async function provision(
  connection: ConnectionSettings,
  agencies: readonly Agency[],
  replication: ReplicationSettings & { brokers: number },
  log: Log,
): Promise<void> {
  const admin = createKafka(connection, {
    clientId: 'passport-provisioning',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await waitForBrokers(admin, replication.brokers);
    const topics = await applyTopics(admin, topicDeclarations(agencies), replication);
    log(
      `Topics: ${topics.created.length} created, ${topics.grown.length} grown, ${topics.unchanged.length} unchanged.`,
    );
    const acls = await applyAcls(
      admin,
      agencies.map((agency) => principalOf(agency.id)),
      declaredAcls(agencies),
    );
    log(`ACLs: ${acls.created.length} created, ${acls.deleted.length} removed, ${acls.unchanged} unchanged.`);
  } catch (error) {
    if (error instanceof ProvisioningError) throw error;
    throw new ProvisioningError(`Provisioning topics and ACLs failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await admin.disconnect();
  }
  await setDefaultCompatibility(connection.registry, REGISTRY_COMPATIBILITY);
  log(`Registry default compatibility: ${REGISTRY_COMPATIBILITY}.`);
  await registerSubjects(connection.registry, log);
}
