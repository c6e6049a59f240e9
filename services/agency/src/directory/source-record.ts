/** Where a validation issue sits, in the terms of the file the person uploaded. */
export type Locate = (issue: { path: readonly PropertyKey[]; message: string }) => {
  field: string;
  message: string;
};

/** One record of an uploaded file: ready for validation, or already refused while reading the file. */
export type SourceRecord =
  | { line: number; value: unknown; locate: Locate }
  | { line: number; companyId: string | null; problems: Array<{ field: string; message: string }> };
