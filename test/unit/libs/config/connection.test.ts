import { connectionFromEnvironment, connectionToEnvironment } from '@passport/config';
import { ConfigError } from '@passport/errors';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:19092, 127.0.0.1:19093',
  KAFKA_SASL_USERNAME: 'bwi',
  KAFKA_SASL_PASSWORD: 'secret-password',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:18081/apis/ccompat/v7',
};

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('connectionFromEnvironment', () => {
  it('parses brokers, SCRAM defaults and the registry URL, and round-trips to the environment', () => {
    const settings = connectionFromEnvironment(valid);
    expect(settings.brokers).toEqual(['127.0.0.1:19092', '127.0.0.1:19093']);
    expect(settings.sasl.mechanism).toBe('scram-sha-512');
    expect(settings.ssl).toBe(false);
    expect(Object.isFrozen(settings)).toBe(true);
    expect(connectionFromEnvironment(connectionToEnvironment(settings))).toEqual(settings);
  });

  it.each([
    [{ KAFKA_BROKERS: undefined }, 'KAFKA_BROKERS', /it is not set/],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS', /host:port/],
    [{ KAFKA_SASL_PASSWORD: '' }, 'KAFKA_SASL_PASSWORD', /must not be empty/],
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, 'KAFKA_SASL_MECHANISM', /scram-sha-512/],
    [{ SCHEMA_REGISTRY_URL: 'not a url' }, 'SCHEMA_REGISTRY_URL', /http/],
    [{ KAFKA_SSL: 'yes' }, 'KAFKA_SSL', /"true"\|"false"/],
  ])('names the variable in error for %j', (override, variable, message) => {
    const error = errorOf(() => connectionFromEnvironment({ ...valid, ...override }));
    expect(error.variable).toBe(variable);
    expect(error.code).toBe('PASSPORT_CONFIG_INVALID');
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(message);
  });

  it('never echoes the value it refused, so a secret in a wrong variable stays out of logs', () => {
    const secretLooking = 'hunter2-Sup3rS3cret-TOKEN-value';
    const errors = [
      errorOf(() => connectionFromEnvironment({ ...valid, KAFKA_SSL: secretLooking })),
      errorOf(() => connectionFromEnvironment({ ...valid, KAFKA_BROKERS: secretLooking })),
      errorOf(() => connectionFromEnvironment({ ...valid, SCHEMA_REGISTRY_URL: secretLooking })),
    ];
    for (const error of errors) {
      expect(error.message).toMatch(/its value is not shown/);
      expect(error.message).not.toContain(secretLooking);
      expect(JSON.stringify(error.details)).not.toContain(secretLooking);
    }
  });
});
