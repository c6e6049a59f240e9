import { logLevel, type logCreator } from 'kafkajs';

interface ProtocolErrorCode {
  type: string;
  message: string;
}

// kafkajs' table of Kafka protocol error codes; not part of its typed API, hence the require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { errorCodes } = require('kafkajs/src/protocol/error') as { errorCodes: ProtocolErrorCode[] };

/**
 * The Kafka protocol error types behind a kafkajs error. kafkajs re-wraps protocol errors on some
 * paths (a non-retriable retry, an aggregate of per-topic errors) and keeps only the message; each
 * protocol error's message is unique in its table, so the type is recovered from it there.
 */
export function protocolErrorTypes(error: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== 'object' || depth > 5) return;
    const candidate = value as {
      type?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
      originalError?: unknown;
    };
    if (typeof candidate.type === 'string') found.add(candidate.type);
    const byMessage = errorCodes.find((code) => code.message === candidate.message);
    if (byMessage) found.add(byMessage.type);
    visit(candidate.cause, depth + 1);
    visit(candidate.originalError, depth + 1);
    if (Array.isArray(candidate.errors)) candidate.errors.forEach((inner) => visit(inner, depth + 1));
  };
  visit(error, 0);
  return [...found];
}

/**
 * A kafkajs logCreator that records the protocol error types of logged errors. kafkajs swallows the
 * broker's answer to FindCoordinator (GROUP_AUTHORIZATION_FAILED) and throws only "group coordinator
 * not found"; the broker's own error is visible in its debug log, which this captures.
 */
export function recordingLogger(): { logCreator: logCreator; level: logLevel; errorTypes: Set<string> } {
  const errorTypes = new Set<string>();
  const creator: logCreator = () => (entry) => {
    const logged = (entry.log as { error?: unknown }).error;
    if (typeof logged === 'string') {
      const byMessage = errorCodes.find((code) => code.message === logged);
      if (byMessage) errorTypes.add(byMessage.type);
    } else {
      protocolErrorTypes(logged).forEach((type) => errorTypes.add(type));
    }
  };
  return { logCreator: creator, level: logLevel.DEBUG, errorTypes };
}
