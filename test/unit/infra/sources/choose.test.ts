import { chooseClusterSource } from '@passport/infra/sources/choose';

describe('chooseClusterSource', () => {
  it('prefers an explicit environment over Docker and the local install', () => {
    expect(chooseClusterSource({ KAFKA_BROKERS: 'kafka.example:9092' }, true)).toBe('external');
    expect(chooseClusterSource({ KAFKA_BROKERS: 'kafka.example:9092' }, false)).toBe('external');
  });

  it('uses containers when a Docker engine answers and nothing is named', () => {
    expect(chooseClusterSource({}, true)).toBe('testcontainers');
  });

  it('falls back to the local JVM install without Docker', () => {
    expect(chooseClusterSource({}, false)).toBe('local');
  });

  it('obeys PASSPORT_CLUSTER_SOURCE, e.g. local on a machine that has Docker', () => {
    expect(chooseClusterSource({ PASSPORT_CLUSTER_SOURCE: 'local' }, true)).toBe('local');
    expect(chooseClusterSource({ PASSPORT_CLUSTER_SOURCE: 'testcontainers' }, false)).toBe('testcontainers');
  });

  it('names the variable when the forced source is unknown or incomplete', () => {
    expect(() => chooseClusterSource({ PASSPORT_CLUSTER_SOURCE: 'docker' }, false)).toThrow(
      /PASSPORT_CLUSTER_SOURCE must be one of external, testcontainers, local/,
    );
    expect(() => chooseClusterSource({ PASSPORT_CLUSTER_SOURCE: 'external' }, false)).toThrow(
      expect.objectContaining({ variable: 'KAFKA_BROKERS' }),
    );
  });
});
