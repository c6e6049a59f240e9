import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { REPO_ROOT } from '../profile';

export const COMPOSE_FILE = join(REPO_ROOT, 'deploy', 'compose.yaml');
const COMPOSE_SCHEMA_FILE = join(REPO_ROOT, 'deploy', 'compose-schema', 'compose-spec.json');

/** The compose file as Compose reads it: YAML merge keys (`<<: *agency`) applied. */
export function readComposeFile(path = COMPOSE_FILE): Record<string, unknown> {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as Record<string, unknown>;
}

/** Where the file breaks the Compose Specification's JSON schema (empty when it follows it). */
export function composeSchemaProblems(compose: unknown): string[] {
  const schema = JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  // The schema names its draft by an https URL ajv does not know by that spelling; it is draft-07.
  delete schema.$schema;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((error) => {
    const extra = 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
    return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${extra}`;
  });
}
