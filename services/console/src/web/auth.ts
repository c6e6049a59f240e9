import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const COOKIE = 'passport_console';
const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** One admin password, sessions in memory: a restart logs everyone out, which a read-only console can afford. */
export class AdminSessions {
  private readonly tokens = new Set<string>();
  private readonly passwordHash: Buffer;

  constructor(password: string) {
    this.passwordHash = sha256(password);
  }

  /** Compares hashes in constant time, so the answer time says nothing about the password. */
  login(password: string): string | undefined {
    if (!timingSafeEqual(sha256(password), this.passwordHash)) return undefined;
    const token = randomBytes(32).toString('hex');
    this.tokens.add(token);
    return token;
  }

  cookieFor(token: string): string {
    return `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  isLoggedIn(cookieHeader: string | undefined): boolean {
    const token = (cookieHeader ?? '')
      .split(';')
      .map((part) => part.trim().split('='))
      .find(([name]) => name === COOKIE)?.[1];
    return token !== undefined && this.tokens.has(token);
  }
}
