import { AGENCY_BASE_ENVIRONMENT, agencyConfigRefusal } from '../../../../support/agency-config';
import { loadConfig } from '@passport/agency-service/config';
import { DAY_MS } from '@passport/agency-service/retention/policy';

describe('retention configuration', () => {
  it('defaults to hourly passes and the documented ages', () => {
    expect(loadConfig(AGENCY_BASE_ENVIRONMENT).retention).toEqual({
      checkMs: 3_600_000,
      outboxMs: 7 * DAY_MS,
      processedEventMs: 1_865 * DAY_MS,
      idempotencyKeyMs: 7 * DAY_MS,
      feedMs: 30 * DAY_MS,
      personalDataMs: 90 * DAY_MS,
    });
  });

  it('keeps dedupe ids longer than the longest topic retention (outcomes: 5 years) by default', () => {
    expect(loadConfig(AGENCY_BASE_ENVIRONMENT).retention.processedEventMs).toBeGreaterThan(1_825 * DAY_MS);
  });

  it('refuses an age below a day or not a number, naming the variable', () => {
    expect(agencyConfigRefusal({ IDEMPOTENCY_KEY_RETENTION_DAYS: '0.5' }).variable).toBe(
      'IDEMPOTENCY_KEY_RETENTION_DAYS',
    );
    expect(agencyConfigRefusal({ OUTBOX_RETENTION_DAYS: 'a week' }).variable).toBe('OUTBOX_RETENTION_DAYS');
  });

  it('refuses copies of contacts kept longer than the contacts themselves', () => {
    const error = agencyConfigRefusal({ FEED_RETENTION_DAYS: '120', PERSONAL_DATA_RETENTION_DAYS: '90' });
    expect(error.variable).toBe('FEED_RETENTION_DAYS');
    expect(error.message).toContain('PERSONAL_DATA_RETENTION_DAYS');
    expect(
      agencyConfigRefusal({
        OUTBOX_RETENTION_DAYS: '10',
        FEED_RETENTION_DAYS: '5',
        PERSONAL_DATA_RETENTION_DAYS: '5',
      }).variable,
    ).toBe('OUTBOX_RETENTION_DAYS');
  });
});
