import { valueSubject, type RegistrySettings } from '@passport/config';
import { EVENT_TOPICS } from '@passport/events';
import { ProvisioningError } from '@passport/errors';
import { registerSchema, setSubjectCompatibility } from './registry-api';
import { releasedVersions, unreleasedChanges } from './released';

export const SUBJECT_COMPATIBILITY = 'FULL_TRANSITIVE';

/**
 * Registers every released version of every subject, oldest first, under FULL_TRANSITIVE. Services never
 * register (DESIGN.md §3): they look up the id of the schema they were built with, which must be here.
 */
export async function registerSubjects(
  registry: RegistrySettings,
  log: (line: string) => void,
): Promise<Record<string, number>> {
  const pending = unreleasedChanges();
  if (pending.length > 0) {
    throw new ProvisioningError(
      `schemas/ has changes not yet released for ${pending.map((p) => p.subject).join(', ')}; run npm run schemas:release and commit the new version files.`,
    );
  }
  const latestIds: Record<string, number> = {};
  for (const topic of EVENT_TOPICS) {
    const subject = valueSubject(topic);
    await setSubjectCompatibility(registry, subject, SUBJECT_COMPATIBILITY);
    for (const { schema } of releasedVersions(subject))
      latestIds[subject] = await registerSchema(registry, subject, schema);
  }
  log(`Schemas: ${Object.keys(latestIds).length} subjects registered (${SUBJECT_COMPATIBILITY}).`);
  return latestIds;
}
