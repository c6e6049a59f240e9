import { AdminSessions, isLoopback } from '@passport/console/web/auth';

describe('AdminSessions', () => {
  let now = 0;
  const limits = { idleMs: 1_000, absoluteMs: 5_000 };
  const cookie = (token: string) => `other=1; passport_console=${token}`;

  it('refuses a wrong password and opens a session for the right one', () => {
    const sessions = new AdminSessions('twelve chars!', limits, false, () => now);
    expect(sessions.login('wrong')).toBeUndefined();
    const token = sessions.login('twelve chars!') as string;
    expect(sessions.isLoggedIn(cookie(token))).toBe(true);
    expect(sessions.isLoggedIn(cookie('f'.repeat(64)))).toBe(false);
    expect(sessions.isLoggedIn(`passport_console=${token}; x=${'y'.repeat(5_000)}`)).toBe(false);
  });

  it('ends a session at the idle limit, at the absolute limit, and at sign-out', () => {
    const sessions = new AdminSessions('twelve chars!', limits, false, () => now);
    const idle = sessions.login('twelve chars!') as string;
    now += 1_001;
    expect(sessions.isLoggedIn(cookie(idle))).toBe(false);

    const busy = sessions.login('twelve chars!') as string;
    const alive: boolean[] = [];
    for (let step = 0; step < 6; step += 1) {
      now += 900;
      alive.push(sessions.isLoggedIn(cookie(busy)));
    }
    expect(alive).toEqual([true, true, true, true, true, false]);

    const leaving = sessions.login('twelve chars!') as string;
    sessions.logout(cookie(leaving));
    expect(sessions.isLoggedIn(cookie(leaving))).toBe(false);
  });

  it('sets Secure on the cookie only when asked, HttpOnly and SameSite=Strict always', () => {
    expect(new AdminSessions('twelve chars!', limits, true).cookieFor('t')).toBe(
      'passport_console=t; HttpOnly; SameSite=Strict; Path=/; Max-Age=5; Secure',
    );
    expect(new AdminSessions('twelve chars!', limits, false).clearedCookie()).toBe(
      'passport_console=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0',
    );
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['console.example', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});
