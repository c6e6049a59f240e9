import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, createSchemaRegistry, registryCall } from '@passport/bus';
import { loadAgencies, TOPICS } from '@passport/config';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { kafkaNodeProcess } from '@passport/infra/kafka/cluster';
import { down, up } from '@passport/infra/lifecycle';
import { createServer } from 'node:net';
import { PortTakenError } from '@passport/errors';
import { isPortOpen, runningPid } from '@passport/infra/processes';
import { profileFromEnvironment, type InfraProfile } from '@passport/infra/profile';
import { registryProcess } from '@passport/infra/registry/apicurio';
import { collectStatus } from '@passport/infra/status';
import { topicDeclarations } from '@passport/infra/topology/topics';

/**
 * The local cluster's own lifecycle, on a private profile (its own folder and ports) so the shared test
 * cluster is untouched. Downloads are shared with the other profiles through the cache folder.
 */
function privateProfile(nodes: 1 | 3, portOffset: number): InfraProfile {
  const base = profileFromEnvironment('test', {});
  return {
    ...base,
    homeDir: mkdtempSync(join(tmpdir(), 'passport-lifecycle-')),
    nodes,
    brokerPortBase: 29_392 + portOffset,
    registryPort: 28_381 + portOffset,
  };
}

async function nothingRuns(profile: InfraProfile): Promise<void> {
  for (const id of [1, 2, 3]) {
    expect(runningPid(kafkaNodeProcess(profile, id))).toBeUndefined();
    expect(await isPortOpen(profile.brokerPortBase + id - 1)).toBe(false);
  }
  expect(runningPid(registryProcess(profile))).toBeUndefined();
  expect(await isPortOpen(profile.registryPort)).toBe(false);
}

const quiet = () => undefined;

describe('local cluster lifecycle', () => {
  it('starts, reports, stops without strays, and keeps schema ids across a restart', async () => {
    const profile = privateProfile(1, 0);
    try {
      const connection = await up(profile, quiet);
      const status = await collectStatus(profile);
      expect(status.processes.every((p) => p.pid !== null)).toBe(true);
      expect(status.principals.sort()).toEqual(['admin', ...loadAgencies().map((a) => a.id)].sort());
      expect(status.topics.map((t) => t.name).sort()).toEqual(
        topicDeclarations(loadAgencies())
          .map((t) => t.name)
          .sort(),
      );
      expect(status.acls.length).toBeGreaterThanOrEqual(loadAgencies().length * 10);
      expect(status.registry).toMatchObject({ answering: true, compatibility: 'FULL_TRANSITIVE' });

      const registry = createSchemaRegistry(connection);
      const schema = JSON.stringify({
        type: 'record',
        name: 'Kept',
        fields: [{ name: 'a', type: 'string' }],
      });
      const { id } = await registry.register(
        { type: SchemaType.AVRO, schema },
        { subject: 'lifecycle-value' },
      );

      await down(profile, quiet);
      await nothingRuns(profile);

      await up(profile, quiet);
      expect(await createSchemaRegistry(connection).getLatestSchemaId('lifecycle-value')).toBe(id);
      const byId = JSON.parse((await registryCall(connection.registry, `/schemas/ids/${id}`)).text) as {
        schema: string;
      };
      expect(JSON.parse(byId.schema)).toMatchObject({ name: 'Kept' });
    } finally {
      await down(profile, quiet);
      rmSync(profile.homeDir, { recursive: true, force: true });
    }
    await nothingRuns(profile);
  }, 240_000);

  it('runs three nodes with replication factor 3 and min.insync.replicas 2 from the same declaration', async () => {
    const profile = privateProfile(3, 10);
    try {
      const connection = await up(profile, quiet);
      const admin = createKafka(connection, { clientId: 'three-nodes' }).admin();
      await admin.connect();
      try {
        expect((await admin.describeCluster()).brokers).toHaveLength(3);
        const metadata = await admin.fetchTopicMetadata({ topics: [TOPICS.cooperationRequests] });
        expect(metadata.topics[0]?.partitions.every((p) => p.replicas.length === 3)).toBe(true);
        const configs = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: 2, name: TOPICS.cooperationRequests, configNames: ['min.insync.replicas'] }],
        });
        expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
      } finally {
        await admin.disconnect();
      }
    } finally {
      await down(profile, quiet);
      rmSync(profile.homeDir, { recursive: true, force: true });
    }
    await nothingRuns(profile);
  }, 240_000);

  it('refuses to start when a port is held by a process that is not ours, naming the port', async () => {
    const profile = privateProfile(1, 20);
    const squatter = createServer();
    await new Promise<void>((resolvePromise) =>
      squatter.listen(profile.brokerPortBase, '127.0.0.1', resolvePromise),
    );
    try {
      const attempt = up(profile, quiet);
      await expect(attempt).rejects.toBeInstanceOf(PortTakenError);
      await expect(attempt).rejects.toThrow(
        `Port ${profile.brokerPortBase} (Kafka node 1 client listener) is already taken`,
      );
    } finally {
      await new Promise((resolvePromise) => squatter.close(resolvePromise));
      await down(profile, quiet);
      rmSync(profile.homeDir, { recursive: true, force: true });
    }
    await nothingRuns(profile);
  }, 120_000);
});
