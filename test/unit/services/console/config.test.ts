import { ConfigError } from '@passport/errors';
import { consoleConfig } from '../../../../services/console/src/config';

const external = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  KAFKA_SASL_USERNAME: 'admin',
  KAFKA_SASL_PASSWORD: 'admin-password',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:18081/apis/ccompat/v7',
};

describe('console configuration', () => {
  it('takes the web console password from PASSPORT_CONSOLE_PASSWORD', () => {
    const password = 'twelve-or-more-characters';
    expect(consoleConfig({ ...external, PASSPORT_CONSOLE_PASSWORD: password }).consolePassword).toBe(
      password,
    );
  });

  it('refuses a short password naming the variable, without printing the password', () => {
    const tooShort = 'S3cr3t!pw';
    let refused: unknown;
    try {
      consoleConfig({ ...external, PASSPORT_CONSOLE_PASSWORD: tooShort });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).variable).toBe('PASSPORT_CONSOLE_PASSWORD');
    expect((refused as ConfigError).message).toMatch(/at least 12 characters/);
    expect((refused as ConfigError).message).not.toContain(tooShort);
  });
});
