import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { Parser } from '@asyncapi/parser';

export interface DocumentProblem {
  path: string;
  message: string;
}

/** Validates with the AsyncAPI project's own parser, Avro payloads included; returns its errors. */
export async function validateAsyncApiDocument(document: object): Promise<DocumentProblem[]> {
  const parser = new Parser();
  parser.registerSchemaParser(AvroSchemaParser());
  const { diagnostics } = await parser.parse(JSON.stringify(document));
  // Severity 0 is an error in Spectral's scale (0 error, 1 warning, 2 info, 3 hint).
  return diagnostics
    .filter((d) => d.severity === 0)
    .map((d) => ({ path: d.path.join('.'), message: d.message }));
}
