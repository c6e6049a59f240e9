import { randomUUID } from 'node:crypto';
import { valueSubject, type RegistrySettings } from '@passport/config';
import { EVENT_TOPICS, topicSchema } from '@passport/events';
import { SchemaIncompatibleError } from '@passport/errors';
import { explainIncompatibility } from './explain-incompatibility';
import { deleteSubject, registerSchema, setSubjectCompatibility } from './registry-api';
import { releasedVersions } from './released';
import { SUBJECT_COMPATIBILITY } from './register';

export interface CompatibilityResult {
  subject: string;
  versions: number;
  problem?: string;
}

/**
 * Registers `history` (oldest first) under a scratch subject with FULL_TRANSITIVE and reports the first
 * refusal, naming the fields at fault. The scratch subject is deleted afterwards.
 */
export async function checkHistory(
  registry: RegistrySettings,
  subject: string,
  history: readonly object[],
): Promise<CompatibilityResult> {
  const scratch = `compat-check.${randomUUID().slice(0, 8)}.${subject}`;
  let index = 0;
  try {
    await setSubjectCompatibility(registry, scratch, SUBJECT_COMPATIBILITY);
    for (; index < history.length; index += 1)
      await registerSchema(registry, scratch, history[index] as object);
    return { subject, versions: history.length };
  } catch (error) {
    if (!(error instanceof SchemaIncompatibleError)) throw error;
    const candidate = history[index] as object;
    const fields = history.slice(0, index).flatMap((older) => explainIncompatibility(older, candidate));
    const because = fields.length ? ` Fields: ${[...new Set(fields)].join('; ')}.` : '';
    return {
      subject,
      versions: history.length,
      problem: `version ${index + 1} is incompatible with an earlier one.${because} Registry: ${error.message.replace(scratch, subject)}`,
    };
  } finally {
    await deleteSubject(registry, scratch);
  }
}

/** Proves each subject's released versions plus its current schema a FULL_TRANSITIVE-compatible history. */
export async function checkCompatibility(registry: RegistrySettings): Promise<CompatibilityResult[]> {
  const results: CompatibilityResult[] = [];
  for (const topic of EVENT_TOPICS) {
    const subject = valueSubject(topic);
    results.push(
      await checkHistory(registry, subject, [
        ...releasedVersions(subject).map((v) => v.schema),
        topicSchema(topic),
      ]),
    );
  }
  return results;
}
