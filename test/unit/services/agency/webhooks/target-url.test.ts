import { ConfigError } from '@passport/errors';
import { loadConfig } from '../../../../../services/agency/src/config';
import { isAllowedWebhookUrl, isLoopbackHost } from '../../../../../services/agency/src/webhooks/target-url';

const baseEnvironment = {
  AGENCY: 'bwi',
  API_KEY_HASHES: 'a'.repeat(64),
  WEBHOOK_SECRET: 'a-long-shared-secret-of-the-back-office',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_SASL_USERNAME: 'bwi',
  KAFKA_SASL_PASSWORD: 'not-used-by-this-test',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('webhook target URL', () => {
  it('is refused at start when it is plain http to another machine, naming the variable', () => {
    const error = configError({ ...baseEnvironment, WEBHOOK_URL: 'http://example.org/hook' });
    expect(error.variable).toBe('WEBHOOK_URL');
    expect(error.message).toContain('WEBHOOK_URL');
    expect(error.message).toMatch(/https/);
  });

  it('is accepted over https anywhere, and over http to loopback only', () => {
    for (const url of [
      'https://backoffice.example.org/hook',
      'http://127.0.0.1:8080/hook',
      'http://127.3.4.5/hook',
      'http://[::1]:9000/',
      'http://localhost:3000/',
    ])
      expect(loadConfig({ ...baseEnvironment, WEBHOOK_URL: url }).webhook?.url).toBe(url);
  });

  it('treats lookalikes of loopback as remote', () => {
    for (const url of [
      'http://127.0.0.1.example.org/',
      'http://localhost.example.org/',
      'http://128.0.0.1/',
      'http://[::2]/',
      'ftp://127.0.0.1/',
      'not a url',
    ])
      expect(isAllowedWebhookUrl(url)).toBe(false);
    expect(isLoopbackHost('127.255.255.254')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});
