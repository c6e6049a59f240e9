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
