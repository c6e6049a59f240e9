import type { Agency } from '@passport/config';
import { deadLetterTopicOf, TOPICS } from '@passport/config';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
} from 'kafkajs';

/**
 * Topics every agency both publishes to and consumes from in the flow of DESIGN.md §2. Reminders are
 * among them: every agency is a home agency for its own firms' requests (so it writes reminders) and a
 * partner for the others' (so it reads them). Kafka ACLs cannot look into a record, so "only its own
 * reminders" is the consumer's check: it takes a reminder only from the home agency of the request.
 */
const EXCHANGE_TOPICS = [
  TOPICS.cooperationRequests,
  TOPICS.candidateReplies,
  TOPICS.introductions,
  TOPICS.sealedIntroductions,
  TOPICS.outcomes,
  TOPICS.requestReminders,
  // Every agency writes its own key rotation statements; the statement's signatures, not the ACL, prove
  // whose they are (the consumer checks that the statement names the agency that signed the record).
  TOPICS.keyRotations,
];

export function principalOf(agencyId: string): string {
  return `User:${agencyId}`;
}

/** Consumer groups of an agency are named `<agency>.<purpose>`, so one prefixed grant covers them all. */
export function groupPrefixOf(agencyId: string): string {
  return `${agencyId}.`;
}

function allow(
  principal: string,
  resourceType: AclResourceTypes,
  resourceName: string,
  pattern: ResourcePatternTypes,
  operation: AclOperationTypes,
): AclEntry {
  return {
    principal,
    host: '*',
    resourceType,
    resourceName,
    resourcePatternType: pattern,
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/**
 * Least privilege for one agency: read and write the exchange topics, write and read its own
 * dead-letter topic (it reads its dead letters back to confirm they arrived) and no other agency's,
 * and use only its own consumer groups. No cluster rights, no topic creation or deletion, no
 * configuration changes: those stay with the admin principal. Idempotent producing needs only WRITE on
 * the topic since Kafka 2.8 (KIP-679), so no IDEMPOTENT_WRITE on the cluster either.
 */
export function aclsForAgency(agency: Pick<Agency, 'id'>): AclEntry[] {
  const principal = principalOf(agency.id);
  const topicGrants = EXCHANGE_TOPICS.flatMap((topic) => [
    allow(principal, AclResourceTypes.TOPIC, topic, ResourcePatternTypes.LITERAL, AclOperationTypes.READ),
    allow(principal, AclResourceTypes.TOPIC, topic, ResourcePatternTypes.LITERAL, AclOperationTypes.WRITE),
  ]);
  const ownDeadLetters = [AclOperationTypes.WRITE, AclOperationTypes.READ].map((operation) =>
    allow(
      principal,
      AclResourceTypes.TOPIC,
      deadLetterTopicOf(agency.id),
      ResourcePatternTypes.LITERAL,
      operation,
    ),
  );
  return [
    ...topicGrants,
    ...ownDeadLetters,
    allow(
      principal,
      AclResourceTypes.GROUP,
      groupPrefixOf(agency.id),
      ResourcePatternTypes.PREFIXED,
      AclOperationTypes.READ,
    ),
  ];
}

export function declaredAcls(agencies: readonly Pick<Agency, 'id'>[]): AclEntry[] {
  return agencies.flatMap(aclsForAgency);
}

/** A stable text form, for comparing declared and actual ACLs and for printing them. */
export function describeAcl(acl: AclEntry): string {
  const pattern = acl.resourcePatternType === ResourcePatternTypes.PREFIXED ? '*' : '';
  return `${acl.principal} ${permissionName(acl.permissionType)} ${operationName(acl.operation)} ${resourceName(acl.resourceType)}:${acl.resourceName}${pattern} from ${acl.host}`;
}

/** kafkajs ships these "enums" as plain objects at run time, without the reverse mapping TS enums have. */
function nameOf(table: object, value: number): string {
  return Object.entries(table).find(([, code]) => code === value)?.[0] ?? String(value);
}

function operationName(operation: AclOperationTypes): string {
  return nameOf(AclOperationTypes, operation);
}

function resourceName(type: AclResourceTypes): string {
  return nameOf(AclResourceTypes, type);
}

function permissionName(type: AclPermissionTypes): string {
  return nameOf(AclPermissionTypes, type);
}
