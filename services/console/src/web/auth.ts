import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const COOKIE = 'passport_console';
const sha256 = (text: string) => createHash('sha256').update(text).digest();
/** Far more than one admin needs; a flood of logins evicts the oldest sessions, never grows memory. */
const MAX_SESSIONS = 100;
/** A cookie longer than this is not one of ours; it is not parsed further. */
const MAX_COOKIE_HEADER = 4_096;

export interface SessionLimits {
  /** A session unused this long is over. */
  idleMs: number;
  /** A session is over this long after sign-in, however busy. */
  absoluteMs: number;
}

interface Session {
  createdAt: number;
  lastSeenAt: number;
}

/**
 * One admin password, sessions in memory: a restart logs everyone out, which a read-only console can
 * afford. Sessions end after an idle and an absolute time, or at sign-out. The cookie is HttpOnly and
 * SameSite=Strict always, and Secure when the console is reachable off loopback, so a browser never
 * sends it over a network in clear.
 */
export class AdminSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly passwordHash: Buffer;

  constructor(
    password: string,
    private readonly limits: SessionLimits,
    private readonly secureCookie: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.passwordHash = sha256(password);
  }

  /** Compares hashes in constant time, so the answer time says nothing about the password. */
  login(password: string): string | undefined {
    if (!timingSafeEqual(sha256(password), this.passwordHash)) return undefined;
    this.forgetExpired();
    while (this.sessions.size >= MAX_SESSIONS)
      this.sessions.delete(this.sessions.keys().next().value as string);
    const token = randomBytes(32).toString('hex');
    const at = this.now();
    this.sessions.set(token, { createdAt: at, lastSeenAt: at });
    return token;
  }

  logout(cookieHeader: string | undefined): void {
    const token = tokenOf(cookieHeader);
    if (token !== undefined) this.sessions.delete(token);
  }

  cookieFor(token: string): string {
    const maxAge = Math.floor(this.limits.absoluteMs / 1000);
    return `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${this.secureCookie ? '; Secure' : ''}`;
  }

  /** Tells the browser to drop the cookie, on sign-out and when a session is found expired. */
  clearedCookie(): string {
    return `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${this.secureCookie ? '; Secure' : ''}`;
  }

  /** Whether the cookie names a live session; using it counts as activity for the idle limit. */
  isLoggedIn(cookieHeader: string | undefined): boolean {
    const token = tokenOf(cookieHeader);
    const session = token === undefined ? undefined : this.sessions.get(token);
    if (!token || !session) return false;
    if (this.expired(session)) {
      this.sessions.delete(token);
      return false;
    }
    session.lastSeenAt = this.now();
    return true;
  }

  private expired(session: Session): boolean {
    const at = this.now();
    return at - session.lastSeenAt > this.limits.idleMs || at - session.createdAt > this.limits.absoluteMs;
  }

  private forgetExpired(): void {
    for (const [token, session] of this.sessions) if (this.expired(session)) this.sessions.delete(token);
  }
}

function tokenOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader || cookieHeader.length > MAX_COOKIE_HEADER) return undefined;
  return cookieHeader
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];
}

/** Loopback addresses, where no network sits between the browser and the console. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
