import { createKafka } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import { recordingLogger } from './kafka-errors';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
} from 'kafkajs';

/**
 * A DENY on one consumer group for one agency's principal. It beats the agency's prefixed ALLOW, so
 * the broker refuses that group alone: a real, non-retriable cause for kafkajs to stop a consumer,
 * touching no other test's group. The same object creates the ACL and, as a filter, deletes it.
 */
export function groupDenial(agencyId: string, group: string): AclEntry {
  return {
    resourceType: AclResourceTypes.GROUP,
    resourceName: group,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: `User:${agencyId}`,
    host: '*',
    operation: AclOperationTypes.ALL,
    permissionType: AclPermissionTypes.DENY,
  };
}

/**
 * Runs a consumer of `topic` in `groupId` until kafkajs gives up on the group, and returns why: the
 * crash and the broker's protocol errors that kafkajs logged on the way but did not rethrow.
 */
export async function refusedGroupJoin(
  connection: ConnectionSettings,
  clientId: string,
  groupId: string,
  topic: string,
): Promise<{ crash: Error; errorTypes: readonly string[] }> {
  const recorder = recordingLogger();
  const kafka = createKafka(connection, {
    clientId,
    retries: 1,
    logLevel: recorder.level,
    logCreator: recorder.logCreator,
  });
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const crashed = new Promise<Error>((resolvePromise) => {
      consumer.on(consumer.events.CRASH, (event) => resolvePromise(event.payload.error));
    });
    await consumer.run({ eachMessage: async () => undefined });
    return { crash: await crashed, errorTypes: [...recorder.errorTypes] };
  } finally {
    await consumer.disconnect();
  }
}
