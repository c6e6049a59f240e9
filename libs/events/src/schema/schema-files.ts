import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The contract's .avsc files live at the repository root, beside libs/ (DESIGN.md §4); the packed
 * package carries a copy of its own (prepack), since an installation has no repository around it.
 */
const PACKED_SCHEMAS_DIR = join(__dirname, '..', '..', 'schemas');
export const SCHEMAS_DIR = existsSync(PACKED_SCHEMAS_DIR)
  ? PACKED_SCHEMAS_DIR
  : join(__dirname, '..', '..', '..', '..', 'schemas');
export const RELEASED_DIR = join(SCHEMAS_DIR, 'released');
export const NAMESPACE = 'eu.fourmotors.passport';

type NamedSchema = { type: 'record' | 'enum' | 'fixed'; name: string; namespace?: string } & Record<
  string,
  unknown
>;

function avscFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return path === RELEASED_DIR ? [] : avscFiles(path);
    return entry.endsWith('.avsc') ? [path] : [];
  });
}

function fullName(schema: NamedSchema): string {
  return schema.name.includes('.') ? schema.name : `${schema.namespace ?? NAMESPACE}.${schema.name}`;
}

/** Every named type of the contract by full name; one file holds one record or enum. */
export function loadNamedSchemas(dir: string = SCHEMAS_DIR): Map<string, NamedSchema> {
  const named = new Map<string, NamedSchema>();
  for (const file of avscFiles(dir)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as NamedSchema;
    const name = fullName(schema);
    if (named.has(name)) throw new Error(`${name} is defined twice (again in ${relative(dir, file)})`);
    named.set(name, schema);
  }
  return named;
}

/**
 * One self-contained schema for `rootName`: each named type is written out where it is first used and
 * referred to by full name afterwards, as Avro requires. This is the text registered for a subject.
 */
export function assembleSchema(
  rootName: string,
  named: Map<string, NamedSchema> = loadNamedSchemas(),
): object {
  const defined = new Set<string>();
  const expand = (type: unknown): unknown => {
    if (typeof type === 'string') {
      const name = type.includes('.') ? type : `${NAMESPACE}.${type}`;
      const schema = named.get(name);
      if (!schema) return type;
      if (defined.has(name)) return name;
      defined.add(name);
      return expandNamed(schema);
    }
    if (Array.isArray(type)) return type.map(expand);
    if (type && typeof type === 'object') {
      const complex = type as Record<string, unknown>;
      if (complex.type === 'array') return { ...complex, items: expand(complex.items) };
      if (complex.type === 'map') return { ...complex, values: expand(complex.values) };
      if (complex.type === 'record' || complex.type === 'enum') return expandNamed(complex as NamedSchema);
    }
    return type;
  };
  const expandNamed = (schema: NamedSchema): object => {
    defined.add(fullName(schema));
    if (schema.type !== 'record') return schema;
    const fields = (schema.fields as Array<Record<string, unknown>>).map((field) => ({
      ...field,
      type: expand(field.type),
    }));
    return { ...schema, fields };
  };
  const root = named.get(rootName.includes('.') ? rootName : `${NAMESPACE}.${rootName}`);
  if (!root) throw new Error(`No schema named ${rootName} in ${SCHEMAS_DIR}`);
  return expandNamed(root);
}
