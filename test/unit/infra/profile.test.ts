import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeClusterRecord } from '@passport/infra/cluster-record';
import { bootstrapServers, profileFromEnvironment, registryUrl } from '@passport/infra/profile';

describe('a profile takes its shape from the cluster record', () => {
  let cacheDir: string;
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'passport-profile-'));
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  const recordThreeNodes = () => {
    mkdirSync(join(cacheDir, 'dev'), { recursive: true });
    writeClusterRecord(join(cacheDir, 'dev'), {
      clusterId: 'x',
      nodes: 3,
      formattedAt: '2026-12-03T00:00:00.000Z',
      brokerPortBase: 39092,
      registryPort: 38081,
    });
  };

  it('without a record: one node on the default ports', () => {
    const profile = profileFromEnvironment('dev', { PASSPORT_CACHE_DIR: cacheDir });
    expect(bootstrapServers(profile)).toEqual(['127.0.0.1:19092']);
  });

  it('a command run without KAFKA_NODES bootstraps from every node of a recorded three-node cluster', () => {
    recordThreeNodes();
    const profile = profileFromEnvironment('dev', { PASSPORT_CACHE_DIR: cacheDir });
    expect(profile.nodes).toBe(3);
    expect(bootstrapServers(profile)).toEqual(['127.0.0.1:39092', '127.0.0.1:39093', '127.0.0.1:39094']);
    expect(registryUrl(profile)).toBe('https://127.0.0.1:38081/apis/ccompat/v7');
  });

  it('the environment still wins, so a mismatch is reported by infra:up rather than hidden', () => {
    recordThreeNodes();
    const profile = profileFromEnvironment('dev', {
      PASSPORT_CACHE_DIR: cacheDir,
      KAFKA_NODES: '1',
      PASSPORT_KAFKA_PORT: '49092',
    });
    expect(profile.nodes).toBe(1);
    expect(bootstrapServers(profile)).toEqual(['127.0.0.1:49092']);
  });

  it("the fault suite's cluster has three nodes and ports of its own, whatever moves the test cluster", () => {
    const env = {
      PASSPORT_CACHE_DIR: cacheDir,
      KAFKA_NODES: '1',
      PASSPORT_KAFKA_PORT: '49092',
      PASSPORT_REGISTRY_PORT: '48081',
    };
    const faults = profileFromEnvironment('faults', env);
    expect(faults.nodes).toBe(3);
    expect(faults.homeDir).toBe(join(cacheDir, 'faults'));
    expect(bootstrapServers(faults)).toEqual(['127.0.0.1:39092', '127.0.0.1:39093', '127.0.0.1:39094']);
    const moved = profileFromEnvironment('faults', {
      ...env,
      PASSPORT_FAULTS_KAFKA_PORT: '41092',
      PASSPORT_FAULTS_REGISTRY_PORT: '41081',
    });
    expect(bootstrapServers(moved)).toEqual(['127.0.0.1:41092', '127.0.0.1:41093', '127.0.0.1:41094']);
    expect(registryUrl(moved)).toBe('https://127.0.0.1:41081/apis/ccompat/v7');
  });
});
