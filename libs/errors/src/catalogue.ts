import { PassportError, type PassportErrorOptions } from './passport-error';

/** A configuration value (environment variable, agency file) is missing or malformed. */
export class ConfigError extends PassportError {
  constructor(
    readonly variable: string,
    message: string,
    options: PassportErrorOptions = {},
  ) {
    super('PASSPORT_CONFIG_INVALID', message, { ...options, details: { variable, ...options.details } });
  }
}

/** A prerequisite program (java, mvn, docker) is absent or too old. */
export class PrerequisiteError extends PassportError {
  constructor(
    code: 'PASSPORT_JAVA_MISSING' | 'PASSPORT_MAVEN_MISSING' | 'PASSPORT_DOCKER_UNAVAILABLE',
    message: string,
    options: PassportErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** Fetching from Maven Central failed; a rerun resumes from Maven's cache. */
export class DownloadError extends PassportError {
  constructor(message: string, options: PassportErrorOptions = {}) {
    super('PASSPORT_DOWNLOAD_FAILED', message, { retriable: true, ...options });
  }
}

/** A port the local cluster needs is held by a process that is not ours. */
export class PortTakenError extends PassportError {
  constructor(
    readonly port: number,
    message: string,
  ) {
    super('PASSPORT_PORT_TAKEN', message, { details: { port } });
  }
}

/** A local process exited or never answered. */
export class ProcessError extends PassportError {
  constructor(
    code: 'PASSPORT_PROCESS_FAILED' | 'PASSPORT_STARTUP_TIMEOUT',
    message: string,
    options: PassportErrorOptions = {},
  ) {
    super(code, message, { retriable: code === 'PASSPORT_STARTUP_TIMEOUT', ...options });
  }
}

/** Existing cluster data does not fit what was asked (e.g. formatted for a different node count). */
export class ClusterMismatchError extends PassportError {
  constructor(message: string, options: PassportErrorOptions = {}) {
    super('PASSPORT_CLUSTER_MISMATCH', message, options);
  }
}

/** Topics or ACLs could not be applied. */
export class ProvisioningError extends PassportError {
  constructor(message: string, options: PassportErrorOptions = {}) {
    super('PASSPORT_PROVISIONING_FAILED', message, { retriable: true, ...options });
  }
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `payload.profile.sectors.0.code`. */
  path: string;
  message: string;
}

/** An event breaks the contract (zod rules or the Avro schema); never retried, dead-lettered when consumed. */
export class EventValidationError extends PassportError {
  readonly issues: readonly FieldIssue[];

  constructor(eventType: string, issues: readonly FieldIssue[], options: PassportErrorOptions = {}) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      'PASSPORT_EVENT_INVALID',
      `${eventType} is invalid at ${first?.path || '(root)'}: ${first?.message}${more}`,
      {
        ...options,
        details: { eventType, path: first?.path ?? '', ...options.details },
      },
    );
    this.issues = Object.freeze([...issues]);
  }
}

/** Bytes that are not an event of ours: wrong magic byte, unknown schema id, corrupt Avro. */
export class EventDecodeError extends PassportError {
  constructor(message: string, options: PassportErrorOptions = {}) {
    super('PASSPORT_EVENT_UNDECODABLE', message, options);
  }
}

/** The registry does not hold the schema this build was compiled against; provisioning has not run. */
export class SchemaNotRegisteredError extends PassportError {
  constructor(subject: string, options: PassportErrorOptions = {}) {
    super(
      'PASSPORT_SCHEMA_NOT_REGISTERED',
      `The registry has no version of ${subject} equal to this build's schema; run provisioning (npm run infra:up or npm run schemas:register).`,
      { retriable: true, ...options, details: { subject, ...options.details } },
    );
  }
}

/** The registry did not answer, or answered with something other than a refusal; retrying may help. */
export class RegistryUnavailableError extends PassportError {
  constructor(what: string, options: PassportErrorOptions = {}) {
    const cause = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(
      'PASSPORT_REGISTRY_UNAVAILABLE',
      `The schema registry failed while ${what}${cause}; check SCHEMA_REGISTRY_URL and that the registry is running.`,
      { retriable: true, ...options },
    );
  }
}

/** A schema change the registry refuses under FULL_TRANSITIVE compatibility. */
export class SchemaIncompatibleError extends PassportError {
  constructor(subject: string, reason: string, options: PassportErrorOptions = {}) {
    super(
      'PASSPORT_SCHEMA_INCOMPATIBLE',
      `${subject}: the registry refuses this schema as incompatible: ${reason}`,
      {
        ...options,
        details: { subject, ...options.details },
      },
    );
  }
}

/** An HTTP body that fails its schema; every issue carries the path of its field. */
export class BodyValidationError extends PassportError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    const first = issues[0];
    super('PASSPORT_BODY_INVALID', `Invalid body at ${first?.path || '(root)'}: ${first?.message}`, {
      details: { path: first?.path ?? '' },
    });
    this.issues = Object.freeze([...issues]);
  }
}

export class NotFoundError extends PassportError {
  constructor(what: string) {
    super('PASSPORT_NOT_FOUND', `${what} was not found`);
  }
}

/** The request is valid but the state does not allow it (e.g. a reply to a closed request). */
export class ConflictError extends PassportError {
  constructor(message: string) {
    super('PASSPORT_CONFLICT', message);
  }
}

export class AuthenticationError extends PassportError {
  constructor(message = 'a valid API key is required (Authorization: Bearer <key>)') {
    super('PASSPORT_UNAUTHENTICATED', message);
  }
}

export class IdempotencyKeyReusedError extends PassportError {
  constructor(key: string) {
    super(
      'PASSPORT_IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key "${key}" was already used with a different request`,
    );
  }
}

/** A handler ran past its time budget; the batch is retried. */
export class HandlerTimeoutError extends PassportError {
  constructor(what: string, ms: number) {
    super('PASSPORT_HANDLER_TIMEOUT', `${what} did not finish within ${ms} ms`, { retriable: true });
  }
}

/** A consumer group did not reach the offsets it was waited for; waiting longer may help. */
export class GroupBehindError extends PassportError {
  constructor(groupId: string, partitions: readonly string[], ms: number) {
    super(
      'PASSPORT_GROUP_BEHIND',
      `group ${groupId} did not catch up within ${ms} ms on ${partitions.join(', ')}`,
      {
        retriable: true,
        details: { groupId },
      },
    );
  }
}

/** Offsets of a group with live members cannot be moved; stop its consumers first. */
export class GroupActiveError extends PassportError {
  constructor(groupId: string, state: string) {
    super(
      'PASSPORT_GROUP_ACTIVE',
      `group ${groupId} is ${state}: stop its consumers before resetting offsets`,
      {
        details: { groupId, state },
      },
    );
  }
}

/** Reading a range of a topic got no message for too long, even with a new consumer each time. */
export class ReadStalledError extends PassportError {
  constructor(topic: string, unread: readonly string[], stallMs: number, consumers: number) {
    super(
      'PASSPORT_READ_STALLED',
      `reading ${topic} stalled: no message for ${stallMs} ms, ${consumers} consumers in a row; unread: ${unread.join(', ')}`,
      { retriable: true, details: { topic } },
    );
  }
}

/** A command line that does not make sense: unknown command, missing argument, unreadable value. */
export class UsageError extends PassportError {
  constructor(message: string) {
    super('PASSPORT_USAGE', message);
  }
}

/** An NDJSON fixture or export line that is not a recorded message. */
export class FixtureError extends PassportError {
  constructor(file: string, line: number, message: string, options: PassportErrorOptions = {}) {
    super('PASSPORT_FIXTURE_INVALID', `${file}:${line}: ${message}`, { ...options, details: { file, line } });
  }
}

/** An HTTP body over the endpoint's size limit; refused before it is parsed. */
export class BodyTooLargeError extends PassportError {
  constructor(limitBytes: number) {
    super('PASSPORT_BODY_TOO_LARGE', `the body is larger than this endpoint's limit of ${limitBytes} bytes`, {
      details: { limitBytes },
    });
  }
}

/**
 * A dead letter the console will not republish: it cannot be shown to come from a consumer of ours
 * (wrong group for its topic, an original topic outside the exchange) or it was cut to fit. Retrying
 * cannot change the record, so never retriable.
 */
export class RedriveRefusedError extends PassportError {
  constructor(refusals: readonly { id: string; reason: string }[]) {
    const named = refusals.slice(0, 20).map((r) => `${r.id} (${r.reason})`);
    const more = refusals.length > named.length ? `; and ${refusals.length - named.length} more` : '';
    super('PASSPORT_REDRIVE_REFUSED', `refused to redrive ${named.join('; ')}${more}`, {
      details: { refused: refusals.length },
    });
  }
}

/** A JSON body nested deeper than any valid body; refused before anything walks it recursively. */
export class BodyTooDeepError extends PassportError {
  constructor(maxDepth: number) {
    super('PASSPORT_BODY_TOO_DEEP', `the body nests arrays or objects deeper than ${maxDepth} levels`, {
      details: { maxDepth },
    });
  }
}

/** kafkajs stopped the service's consumer for good and restarting it kept failing; the process should exit. */
export class ConsumerStoppedError extends PassportError {
  constructor(groupId: string, restarts: number, options: PassportErrorOptions = {}) {
    const cause = options.cause instanceof Error ? `: ${options.cause.name}: ${options.cause.message}` : '';
    super(
      'PASSPORT_CONSUMER_STOPPED',
      `the consumer of group ${groupId} stopped and ${restarts} restarts in a row failed${cause}`,
      { ...options, details: { groupId, restarts, ...options.details } },
    );
  }
}

/** The broker refuses one message itself (too large, invalid record): sending it again gets the same answer. */
export class MessageRefusedError extends PassportError {
  constructor(topic: string, brokerError: string, options: PassportErrorOptions = {}) {
    super('PASSPORT_MESSAGE_REFUSED', `the broker refused a message for ${topic}: ${brokerError}`, {
      ...options,
      details: { topic, brokerError, ...options.details },
    });
  }
}

/** Too many failed sign-ins from one address or for the console; waiting the given time helps. */
export class LoginThrottledError extends PassportError {
  constructor(readonly retryAfterSeconds: number) {
    super('PASSPORT_LOGIN_THROTTLED', `too many failed sign-ins; try again in ${retryAfterSeconds} s`, {
      retriable: true,
      details: { retryAfterSeconds },
    });
  }
}

/**
 * A well-formed event that concerns this agency but that its sender may not send, or not in the
 * request's current state (DESIGN.md §7). Never applied and never retried: the same sender and state
 * would be refused again, so it is parked on the dead-letter topic for an admin to look at.
 */
export class EventForbiddenError extends PassportError {
  constructor(
    readonly eventType: string,
    readonly rule: string,
    message: string,
  ) {
    super('PASSPORT_EVENT_FORBIDDEN', message, { details: { eventType, rule } });
  }
}

/**
 * A saved set of consumer-group offsets that would lose events if applied: a position before what the
 * topic still keeps (deleted by retention) or past its end (a file from another cluster or topic).
 */
export class OffsetsRefusedError extends PassportError {
  constructor(groupId: string, problems: readonly string[]) {
    super('PASSPORT_OFFSETS_REFUSED', `offsets for ${groupId} not restored: ${problems.join('; ')}`, {
      details: { groupId, problems: problems.length },
    });
  }
}
