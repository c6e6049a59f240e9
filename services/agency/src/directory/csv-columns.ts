import { LANGUAGES } from '@passport/events';

/**
 * The CSV layout of a directory export. Lists inside a cell are separated by `;`. NACE codes may carry
 * their revision after `@` (28.15@REV_2_1; REV_2 when absent); products are `HS:848340` or `CPV:42141410`;
 * one column per description language: `description_de`, `description_en`, …
 */
export const CSV_COLUMNS = [
  'companyId',
  'name',
  'naceCodes',
  'products',
  'keywords',
  ...LANGUAGES.map((lang) => `description_${lang}`),
  'sizeBand',
  'foundingYear',
  'nutsRegion',
  'exportMarkets',
  'certifications',
  'languages',
  'partnershipTypes',
  'nameDisclosable',
  'contactName',
  'contactRole',
  'contactEmail',
  'contactPhone',
  'contactLanguage',
] as const;

/** The contact person's fields and the columns that hold them. */
const CONTACT_COLUMN_OF: Record<string, string> = {
  fullName: 'contactName',
  role: 'contactRole',
  email: 'contactEmail',
  phone: 'contactPhone',
  preferredLanguage: 'contactLanguage',
};

const list = (cell: string | undefined) =>
  (cell ?? '')
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean);

const orNull = (cell: string | undefined) => (cell === undefined || cell.trim() === '' ? null : cell.trim());

/** One CSV record as the JSON shape the validator expects; validation itself happens there. */
export function companyFromCsv(record: Record<string, string>): unknown {
  const descriptions = Object.fromEntries(
    LANGUAGES.map((lang) => [lang, orNull(record[`description_${lang}`])]).filter(
      ([, text]) => text !== null,
    ),
  );
  const year = orNull(record.foundingYear);
  const disclosable = orNull(record.nameDisclosable)?.toLowerCase();
  return {
    companyId: record.companyId?.trim(),
    name: record.name?.trim(),
    naceCodes: list(record.naceCodes).map((entry) => {
      const [code, revision] = entry.split('@');
      return { code, revision: revision ?? 'REV_2' };
    }),
    products: list(record.products).map((entry) => {
      const [scheme, code] = entry.split(':');
      return { scheme: scheme?.toUpperCase(), code };
    }),
    keywords: list(record.keywords),
    descriptions,
    sizeBand: record.sizeBand?.trim().toUpperCase(),
    foundingYear: year === null ? null : Number.isInteger(Number(year)) ? Number(year) : year,
    nutsRegion: record.nutsRegion?.trim(),
    exportMarkets: list(record.exportMarkets),
    certifications: list(record.certifications),
    languages: list(record.languages),
    partnershipTypes: list(record.partnershipTypes).map((type) => type.toUpperCase()),
    nameDisclosable:
      disclosable === undefined
        ? false
        : ['true', 'yes', '1'].includes(disclosable)
          ? true
          : disclosable === 'false' || disclosable === 'no' || disclosable === '0'
            ? false
            : disclosable,
    contact: contactFromCsv(record),
  };
}

/** Any filled contact column makes a contact, so a detail without a name is refused rather than dropped. */
function contactFromCsv(record: Record<string, string>): Record<string, string | null> | null {
  const contact = Object.fromEntries(
    Object.entries(CONTACT_COLUMN_OF).map(([field, column]) => [field, orNull(record[column])]),
  );
  return Object.values(contact).some((value) => value !== null) ? contact : null;
}

const LIST_COLUMNS = new Set([
  'naceCodes',
  'products',
  'keywords',
  'exportMarkets',
  'certifications',
  'languages',
  'partnershipTypes',
]);

function columnOf(path: readonly PropertyKey[]): string {
  const [top, next] = path.map(String);
  if (top === 'descriptions') return next ? `description_${next}` : 'description_*';
  if (top === 'contact') return (next && CONTACT_COLUMN_OF[next]) ?? 'contactName';
  return top ?? 'row';
}

/** The entry of a `;` list the issue is about, as the person typed it, and the part of it at fault. */
function entryPrefix(path: readonly PropertyKey[], cell: string | undefined): string {
  const [top, position, part] = path;
  if (!LIST_COLUMNS.has(String(top)) || typeof position !== 'number') return '';
  const entry = list(cell)[position];
  return `entry ${position + 1} "${entry ?? ''}"${part === undefined ? '' : ` (${String(part)})`}: `;
}

/**
 * Where a validation issue sits in the CSV file: the column a person can find in their export, not the
 * JSON path the validator reports (descriptions.en is the column description_en).
 */
export function csvProblem(
  issue: { path: readonly PropertyKey[]; message: string },
  record: Record<string, string>,
): { field: string; message: string } {
  const field = columnOf(issue.path);
  return { field, message: entryPrefix(issue.path, record[field]) + issue.message };
}
