/**
 * Every error code the product raises. Codes are part of the operational contract: alerts, dead-letter
 * headers and HTTP error bodies carry them, so a code is never renamed or reused once released.
 */
export const ERROR_CODES = [
  'PASSPORT_CONFIG_INVALID',
  'PASSPORT_AGENCY_UNKNOWN',
  'PASSPORT_JAVA_MISSING',
  'PASSPORT_MAVEN_MISSING',
  'PASSPORT_DOWNLOAD_FAILED',
  'PASSPORT_PORT_TAKEN',
  'PASSPORT_PROCESS_FAILED',
  'PASSPORT_STARTUP_TIMEOUT',
  'PASSPORT_CLUSTER_MISMATCH',
  'PASSPORT_PROVISIONING_FAILED',
  'PASSPORT_REGISTRY_UNAVAILABLE',
  'PASSPORT_DOCKER_UNAVAILABLE',
  'PASSPORT_EVENT_INVALID',
  'PASSPORT_EVENT_UNDECODABLE',
  'PASSPORT_SCHEMA_NOT_REGISTERED',
  'PASSPORT_SCHEMA_INCOMPATIBLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
