type Json = Record<string, unknown>;

const NAMESPACE_OF = (node: Json, inherited: string) =>
  typeof node.namespace === 'string' ? node.namespace : inherited;

/** Every named record and enum of an assembled schema, by full name. */
function namedTypes(schema: unknown, found = new Map<string, Json>(), namespace = ''): Map<string, Json> {
  if (Array.isArray(schema)) schema.forEach((s) => namedTypes(s, found, namespace));
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return found;
  const node = schema as Json;
  if (node.type === 'record' || node.type === 'enum') {
    const ns = NAMESPACE_OF(node, namespace);
    const name = String(node.name);
    found.set(name.includes('.') ? name : `${ns}.${name}`, node);
    if (node.type === 'record') (node.fields as Json[]).forEach((field) => namedTypes(field.type, found, ns));
  }
  if (node.type === 'array') namedTypes(node.items, found, namespace);
  return found;
}

const shortName = (fullName: string) => fullName.slice(fullName.lastIndexOf('.') + 1);

/** What a reader of schema `reader` cannot do with data written with `writer`, field by field. */
function readerProblems(reader: Map<string, Json>, writer: Map<string, Json>, who: string): string[] {
  const problems: string[] = [];
  for (const [name, readerType] of reader) {
    const writerType = writer.get(name);
    if (!writerType || writerType.type !== readerType.type) continue;
    if (readerType.type === 'record') {
      const writerFields = new Set((writerType.fields as Json[]).map((f) => f.name));
      for (const field of readerType.fields as Json[]) {
        if (!writerFields.has(field.name) && !('default' in field)) {
          problems.push(
            `${shortName(name)}.${String(field.name)}: ${who} requires this field, it has no default, and the other version lacks it`,
          );
        }
      }
    } else if (!('default' in readerType)) {
      const symbols = new Set(readerType.symbols as string[]);
      const unknown = (writerType.symbols as string[]).filter((symbol) => !symbols.has(symbol));
      if (unknown.length)
        problems.push(
          `${shortName(name)}: ${who} lacks symbols ${unknown.join(', ')} and the enum has no default`,
        );
    }
  }
  return problems;
}

/**
 * Names the fields behind an incompatibility between two versions. The registry reports only a JSON
 * pointer into the union that failed; people need "NeedsProfile.summary".
 */
export function explainIncompatibility(older: object, newer: object): string[] {
  const oldTypes = namedTypes(older);
  const newTypes = namedTypes(newer);
  return [
    ...readerProblems(newTypes, oldTypes, 'the new schema (reading old data)'),
    ...readerProblems(oldTypes, newTypes, 'the old schema (reading new data)'),
  ];
}
