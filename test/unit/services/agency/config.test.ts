import { ConfigError } from '@passport/errors';
import { loadConfig } from '@passport/agency-service/config';
import { AGENCY_BASE_ENVIRONMENT } from '../../../support/agency-config';

const SECRET_LOOKING = 'Sup3r-S3cret-Value-Nobody-May-See-0123456789';

const base = AGENCY_BASE_ENVIRONMENT;

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('agency service configuration', () => {
  it('starts on a SQLite file or on PostgreSQL', () => {
    expect(loadConfig(base).database).toEqual({ kind: 'sqlite', file: '/var/lib/passport/bwi.db' });
    const url = 'postgres://passport@db.example/passport';
    expect(loadConfig({ ...base, SQLITE_FILE: undefined, DATABASE_URL: url }).database).toEqual({
      kind: 'postgres',
      url,
    });
  });

  it.each([
    ['no database at all', { SQLITE_FILE: undefined }],
    ['SQLITE_FILE=:memory:', { SQLITE_FILE: ':memory:' }],
  ])('refuses to start with %s, naming SQLITE_FILE and DATABASE_URL', (_case, override) => {
    const error = configError({ ...base, ...override });
    expect(error.variable).toBe('SQLITE_FILE');
    expect(error.message).toMatch(/SQLITE_FILE .*DATABASE_URL/);
  });

  it('uses an in-memory database only when a test allows it explicitly', () => {
    const allowed = { ...base, SQLITE_FILE: undefined, PASSPORT_ALLOW_MEMORY_DATABASE: '1' };
    expect(loadConfig(allowed).database).toEqual({ kind: 'sqlite', file: ':memory:' });
  });

  it('requires CANDIDATE_REF_SECRET of at least 32 characters', () => {
    expect(configError({ ...base, CANDIDATE_REF_SECRET: undefined }).variable).toBe('CANDIDATE_REF_SECRET');
    const short = configError({ ...base, CANDIDATE_REF_SECRET: 'short-secret' });
    expect(short.variable).toBe('CANDIDATE_REF_SECRET');
    expect(short.message).toMatch(/at least 32 characters/);
    expect(loadConfig(base).candidateRefSecret).toBe('c'.repeat(32));
  });

  it.each([
    ['CANDIDATE_REF_SECRET', SECRET_LOOKING.slice(0, 20)],
    ['WEBHOOK_SECRET', 'Sup3r-S3cret'],
    ['API_KEY_HASHES', SECRET_LOOKING],
    ['DATABASE_URL', `mysql://admin:${SECRET_LOOKING}@db.example/passport`],
    ['AGENCY', SECRET_LOOKING],
    ['KAFKA_SASL_MECHANISM', SECRET_LOOKING],
  ])('names %s but never shows the value it refused', (variable, value) => {
    const error = configError({ ...base, [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain(value);
    expect(JSON.stringify(error.details)).not.toContain(value);
  });

  it('reads the outbox confirmation bounds, and refuses an alert that would fire before any resend', () => {
    expect(loadConfig(base)).toMatchObject({
      outboxConfirmTimeoutMs: 30_000,
      outboxUnconfirmedAlertMs: 120_000,
    });
    const early = configError({
      ...base,
      OUTBOX_CONFIRM_TIMEOUT_MS: '60000',
      OUTBOX_UNCONFIRMED_ALERT_MS: '60000',
    });
    expect(early.variable).toBe('OUTBOX_UNCONFIRMED_ALERT_MS');
    expect(early.message).toContain('OUTBOX_CONFIRM_TIMEOUT_MS');
    expect(configError({ ...base, OUTBOX_CONFIRM_TIMEOUT_MS: 'soon' }).variable).toBe(
      'OUTBOX_CONFIRM_TIMEOUT_MS',
    );
  });

  it('confirms by echo unless OUTBOX_CONFIRMATION asks for the ack baseline, and names it when it is bad', () => {
    expect(loadConfig(base).outboxConfirmation).toBe('echo');
    expect(loadConfig({ ...base, OUTBOX_CONFIRMATION: 'ack' }).outboxConfirmation).toBe('ack');
    for (const bad of ['off', 'ECHO', '']) {
      const error = configError({ ...base, OUTBOX_CONFIRMATION: bad });
      expect(error.variable).toBe('OUTBOX_CONFIRMATION');
      expect(error.message).toMatch(/OUTBOX_CONFIRMATION.*echo.*ack/);
    }
  });

  it('seals introductions unless SEALED_INTRODUCTIONS allows the clear fallback, and names it when it is bad', () => {
    expect(loadConfig(base).sealing).toBe('required');
    for (const mode of ['fallback-to-clear', 'off'])
      expect(loadConfig({ ...base, SEALED_INTRODUCTIONS: mode }).sealing).toBe(mode);
    for (const bad of ['clear', 'REQUIRED', '']) {
      const error = configError({ ...base, SEALED_INTRODUCTIONS: bad });
      expect(error.variable).toBe('SEALED_INTRODUCTIONS');
      expect(error.message).toMatch(/SEALED_INTRODUCTIONS.*required.*fallback-to-clear.*off/);
    }
  });
});
