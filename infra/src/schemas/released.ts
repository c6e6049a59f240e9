import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { valueSubject } from '@passport/config';
import { EVENT_TOPICS, RELEASED_DIR, topicSchema, type EventTopic } from '@passport/events';

/**
 * Released schema versions, kept in git as schemas/released/<subject>/v<N>.avsc. A version is never
 * edited once released: compatibility is checked against all of them (FULL_TRANSITIVE).
 */
export interface ReleasedVersion {
  version: number;
  file: string;
  schema: object;
}

export function releasedVersions(subject: string, dir: string = RELEASED_DIR): ReleasedVersion[] {
  const folder = join(dir, subject);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((file) => ({ file, match: /^v(\d+)\.avsc$/.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      file: join(folder, file),
      schema: JSON.parse(readFileSync(join(folder, file), 'utf8')) as object,
    }))
    .sort((a, b) => a.version - b.version);
}

export function sameSchema(a: object, b: object): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Subjects whose schema in schemas/ differs from their latest released version. */
export function unreleasedChanges(
  dir: string = RELEASED_DIR,
): { topic: EventTopic; subject: string; latest: number }[] {
  return EVENT_TOPICS.map((topic) => {
    const subject = valueSubject(topic);
    const versions = releasedVersions(subject, dir);
    const latest = versions.at(-1);
    return {
      topic,
      subject,
      latest: latest?.version ?? 0,
      changed: !latest || !sameSchema(latest.schema, topicSchema(topic)),
    };
  })
    .filter((entry) => entry.changed)
    .map(({ topic, subject, latest }) => ({ topic, subject, latest }));
}

/** Writes the current schema of every changed subject as its next released version. */
export function releaseChanges(dir: string = RELEASED_DIR): string[] {
  return unreleasedChanges(dir).map(({ topic, subject, latest }) => {
    const folder = join(dir, subject);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `v${latest + 1}.avsc`);
    writeFileSync(file, `${JSON.stringify(topicSchema(topic), null, 2)}\n`);
    return file;
  });
}
