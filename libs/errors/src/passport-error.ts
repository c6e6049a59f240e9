import type { ErrorCode } from './codes';

export interface PassportErrorOptions {
  cause?: unknown;
  retriable?: boolean;
  /** Structured facts for logs and dead-letter headers; never personal data. */
  details?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Base of every error the product raises. Callers decide on retry or dead-lettering from `code` and
 * `retriable`, never from the message text, which is written for people and may change.
 */
export class PassportError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, string | number | boolean>>;

  constructor(code: ErrorCode, message: string, options: PassportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

export function isPassportError(value: unknown): value is PassportError {
  return value instanceof PassportError;
}
