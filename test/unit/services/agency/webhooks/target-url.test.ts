import { AGENCY_BASE_ENVIRONMENT, agencyConfigRefusal } from '../../../../support/agency-config';
import { loadConfig } from '@passport/agency-service/config';
import { isAllowedWebhookUrl, isLoopbackHost } from '@passport/agency-service/webhooks/target-url';

const SECRET = { WEBHOOK_SECRET: 'a-long-shared-secret-of-the-back-office' };

describe('webhook target URL', () => {
  it('is refused at start when it is plain http to another machine, naming the variable', () => {
    const error = agencyConfigRefusal({ ...SECRET, WEBHOOK_URL: 'http://example.org/hook' });
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
      expect(loadConfig({ ...AGENCY_BASE_ENVIRONMENT, ...SECRET, WEBHOOK_URL: url }).webhook?.url).toBe(url);
  });

  it('treats lookalikes of loopback as remote', () => {
    for (const url of [
      'http://127.0.0.1.example.org/',
      'http://localhost.example.org/',
      'http://128.0.0.1/',
      'http://[::2]/',
      'ftp://127.0.0.1/',
      'https://user:secret@backoffice.example.org/hook',
      'not a url',
    ])
      expect(isAllowedWebhookUrl(url)).toBe(false);
    expect(isLoopbackHost('127.255.255.254')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});
