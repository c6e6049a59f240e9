import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { REPO_ROOT } from '../profile';
import { CLUSTER_LABEL, STRIMZI_API_VERSION } from './strimzi-cluster';

export const CRD_SCHEMA_DIR = join(REPO_ROOT, 'deploy', 'strimzi', 'crd-schemas');

/** The kinds we generate, with the file (openAPIV3Schema of version v1) that describes each. */
const SCHEMA_FILES: Readonly<Record<string, string>> = {
  Kafka: 'kafka.v1.json',
  KafkaNodePool: 'kafkanodepool.v1.json',
  KafkaTopic: 'kafkatopic.v1.json',
  KafkaUser: 'kafkauser.v1.json',
};

type Schema = Record<string, unknown>;

/**
 * Kubernetes rejects fields a structural CRD schema does not declare (kubectl's default strict field
 * validation), while JSON Schema accepts them unless told otherwise. Closing every declared object
 * (except where the CRD keeps unknown fields, like a topic's or broker's free-form config) makes a
 * misspelt field fail here as it would on apply.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const closed: Schema = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, closeObjects(value)]),
  );
  const keepsUnknown = closed['x-kubernetes-preserve-unknown-fields'] === true;
  if (closed.properties !== undefined && closed.additionalProperties === undefined && !keepsUnknown) {
    closed.additionalProperties = false;
  }
  return closed;
}

let validators: Map<string, ValidateFunction> | undefined;

function validatorsByKind(): Map<string, ValidateFunction> {
  if (validators) return validators;
  // The x-kubernetes-* keywords are the API server's; CEL rules (x-kubernetes-validations) are not
  // evaluated here. The ones in these CRDs concern fields the generator does not set.
  // Quantities (int-or-string) put `pattern` beside an anyOf of types, which JSON Schema allows.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  ajv.addVocabulary([
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-validations',
    'x-kubernetes-int-or-string',
    // OpenAPI's annotation of a sample value, beside JSON Schema's `examples`.
    'example',
  ]);
  validators = new Map(
    Object.entries(SCHEMA_FILES).map(([kind, file]) => {
      const schema = JSON.parse(readFileSync(join(CRD_SCHEMA_DIR, file), 'utf8')) as unknown;
      return [kind, ajv.compile(closeObjects(schema) as Schema)];
    }),
  );
  return validators;
}

interface ResourceShape {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; labels?: Record<string, unknown> };
}

/** What the API server would refuse in one resource (empty when it would accept it). */
export function strimziSchemaProblems(resource: ResourceShape): string[] {
  const kind = String(resource.kind);
  const name = `${kind} ${String(resource.metadata?.name)}`;
  const validate = validatorsByKind().get(kind);
  if (!validate) return [`${name}: no Strimzi CRD schema for kind ${kind}`];
  const problems: string[] = [];
  if (resource.apiVersion !== STRIMZI_API_VERSION) {
    problems.push(`${name}: apiVersion must be ${STRIMZI_API_VERSION}`);
  }
  if (kind !== 'Kafka' && typeof resource.metadata?.labels?.[CLUSTER_LABEL] !== 'string') {
    problems.push(`${name}: label ${CLUSTER_LABEL} must name its Kafka cluster`);
  }
  if (!validate(resource)) {
    for (const error of validate.errors ?? []) {
      const extra =
        'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
      problems.push(`${name}: ${error.instancePath || '/'} ${error.message ?? 'is invalid'}${extra}`);
    }
  }
  return problems;
}
