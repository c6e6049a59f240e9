import {
  connectionFromEnvironment,
  connectionToEnvironment,
  registryFromEnvironment,
} from '@passport/config';
import { ConfigError } from '@passport/errors';

const url = 'https://127.0.0.1:18081/apis/ccompat/v7';

describe('registryFromEnvironment', () => {
  it('takes the client id, secret and CA file of the registry', () => {
    expect(
      registryFromEnvironment({
        SCHEMA_REGISTRY_URL: url,
        SCHEMA_REGISTRY_USERNAME: 'bwi',
        SCHEMA_REGISTRY_PASSWORD: 'client-secret',
        SCHEMA_REGISTRY_CA_FILE: '/etc/passport/registry-ca.pem',
        KAFKA_SSL_CA_FILE: '/etc/passport/kafka-ca.pem',
      }),
    ).toEqual({ url, username: 'bwi', password: 'client-secret', caFile: '/etc/passport/registry-ca.pem' });
  });

  it("falls back to the broker's CA file when the registry has none of its own", () => {
    expect(registryFromEnvironment({ SCHEMA_REGISTRY_URL: url, KAFKA_SSL_CA_FILE: '/ca.pem' }).caFile).toBe(
      '/ca.pem',
    );
    expect(registryFromEnvironment({ SCHEMA_REGISTRY_URL: url }).caFile).toBeUndefined();
  });

  it('names the variable when the CA file is empty', () => {
    expect(() => registryFromEnvironment({ SCHEMA_REGISTRY_URL: url, SCHEMA_REGISTRY_CA_FILE: '' })).toThrow(
      expect.objectContaining({
        constructor: ConfigError,
        message: expect.stringContaining('SCHEMA_REGISTRY_CA_FILE'),
      }),
    );
  });

  it('hands the CA file on to a child process with the rest of the connection', () => {
    const settings = connectionFromEnvironment({
      KAFKA_BROKERS: '127.0.0.1:19092',
      KAFKA_SASL_USERNAME: 'bwi',
      KAFKA_SASL_PASSWORD: 'secret-password',
      SCHEMA_REGISTRY_URL: url,
      SCHEMA_REGISTRY_CA_FILE: '/ca.pem',
    });
    expect(connectionToEnvironment(settings).SCHEMA_REGISTRY_CA_FILE).toBe('/ca.pem');
  });
});
