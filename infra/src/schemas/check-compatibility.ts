import { randomUUID } from 'node:crypto';
import { valueSubject } from '@passport/config';
import { EVENT_TOPICS, topicSchema } from '@passport/events';
import { SchemaIncompatibleError } from '@passport/errors';
import { deleteSubject, registerSchema, setSubjectCompatibility } from './registry-api';
import { releasedVersions } from './released';
import { SUBJECT_COMPATIBILITY } from './register';

export interface CompatibilityResult {
  subject: string;
  versions: number;
  problem?: string;
}

/**
 * Proves, against the real registry, that each subject's released versions and its current schema form a
 * FULL_TRANSITIVE-compatible history: they are registered in order under a scratch subject, which is
 * deleted afterwards. The registry's refusal names the field at fault.
 */
export async function checkCompatibility(registryUrl: string): Promise<CompatibilityResult[]> {
  const results: CompatibilityResult[] = [];
  for (const topic of EVENT_TOPICS) {
    const subject = valueSubject(topic);
    const history = [...releasedVersions(subject).map((v) => v.schema), topicSchema(topic)];
    const scratch = `compat-check.${randomUUID().slice(0, 8)}.${subject}`;
    try {
      await setSubjectCompatibility(registryUrl, scratch, SUBJECT_COMPATIBILITY);
      for (const schema of history) await registerSchema(registryUrl, scratch, schema);
      results.push({ subject, versions: history.length });
    } catch (error) {
      if (!(error instanceof SchemaIncompatibleError)) throw error;
      results.push({ subject, versions: history.length, problem: error.message.replace(scratch, subject) });
    } finally {
      await deleteSubject(registryUrl, scratch);
    }
  }
  return results;
}
