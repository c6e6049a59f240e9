export interface ThrottlePolicy {
  /** Failed sign-ins allowed before any waiting. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long starts again with its free failures. */
  forgetAfterMs: number;
  /** Keys tracked at most; the stalest is forgotten first, so many addresses cannot grow memory. */
  maxKeys: number;
}

interface Failures {
  count: number;
  lastFailureAt: number;
  blockedUntil: number;
}

/**
 * Exponential back-off on failed sign-ins, per key (a remote address, or the one admin account): after
 * the free failures every further one doubles the wait, up to a ceiling, and while a key waits its
 * sign-ins are refused without looking at the password, so guessing is slowed whatever the guesses.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the key must still wait before its next sign-in is looked at; 0 when it may try. */
  waitMs(key: string): number {
    const entry = this.current(key);
    return entry ? Math.max(0, entry.blockedUntil - this.now()) : 0;
  }

  failed(key: string): void {
    const at = this.now();
    const entry = this.current(key) ?? { count: 0, lastFailureAt: at, blockedUntil: 0 };
    entry.count += 1;
    entry.lastFailureAt = at;
    const over = entry.count - this.policy.freeFailures;
    if (over > 0) {
      // 2 ** 30 already exceeds any sensible ceiling; capping the exponent keeps the number finite.
      const delay = this.policy.firstDelayMs * 2 ** Math.min(over - 1, 30);
      entry.blockedUntil = at + Math.min(delay, this.policy.maxDelayMs);
    }
    this.failures.delete(key);
    this.failures.set(key, entry);
    while (this.failures.size > this.policy.maxKeys)
      this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string): Failures | undefined {
    const entry = this.failures.get(key);
    if (entry && this.now() - entry.lastFailureAt > this.policy.forgetAfterMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** Per remote address: one client guessing is slowed after a few tries. */
export const PER_ADDRESS: ThrottlePolicy = Object.freeze({
  freeFailures: 5,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxKeys: 10_000,
});

/**
 * For the admin account, whatever the address: guessing spread over many addresses is slowed too. More
 * free failures and a lower ceiling, because an attacker can make the admin wait as well.
 */
export const PER_ACCOUNT: ThrottlePolicy = Object.freeze({
  freeFailures: 20,
  firstDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxKeys: 1,
});
