import { LoginThrottle } from '@passport/console/web/login-throttle';

const policy = { freeFailures: 2, firstDelayMs: 1_000, maxDelayMs: 8_000, forgetAfterMs: 60_000, maxKeys: 3 };

describe('LoginThrottle', () => {
  let now = 0;
  const throttle = () => new LoginThrottle(policy, () => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets the free failures pass, then doubles the wait up to the ceiling', () => {
    const t = throttle();
    const waits: number[] = [];
    for (let failure = 0; failure < 8; failure += 1) {
      t.failed('10.0.0.1');
      waits.push(t.waitMs('10.0.0.1'));
    }
    expect(waits).toEqual([0, 0, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    now += 3_000;
    expect(t.waitMs('10.0.0.1')).toBe(5_000);
  });

  it('keeps keys apart, and forgets a key after a quiet period or a success', () => {
    const t = throttle();
    for (let failure = 0; failure < 3; failure += 1) t.failed('a');
    expect(t.waitMs('a')).toBe(1_000);
    expect(t.waitMs('b')).toBe(0);
    now += 60_001;
    t.failed('a');
    expect(t.waitMs('a')).toBe(0); // the count started again
    for (let failure = 0; failure < 3; failure += 1) t.failed('c');
    t.succeeded('c');
    expect(t.waitMs('c')).toBe(0);
  });

  it('tracks a bounded number of keys, forgetting the stalest first', () => {
    const t = throttle();
    for (const key of ['k1', 'k2', 'k3', 'k4'])
      for (let failure = 0; failure < 3; failure += 1) t.failed(key);
    expect(t.waitMs('k1')).toBe(0);
    expect(['k2', 'k3', 'k4'].map((key) => t.waitMs(key))).toEqual([1_000, 1_000, 1_000]);
  });

  it('stays finite after a very long run of failures', () => {
    const t = throttle();
    for (let failure = 0; failure < 5_000; failure += 1) t.failed('x');
    expect(t.waitMs('x')).toBe(8_000);
  });
});
