import type { DirectoryCompany } from '../directory/company';
import type { Database } from '../db/database';

/** The ecosystem directory: company-level data in `data`, the contact person apart in `contact`. */
export async function upsertCompanies(
  tx: Database,
  companies: readonly DirectoryCompany[],
  now: number,
): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  for (const company of companies) {
    const { contact, ...data } = company;
    const existed =
      (await tx.query('SELECT 1 AS x FROM directory_companies WHERE company_id = ?', [company.companyId]))
        .length > 0;
    await tx.execute(
      `INSERT INTO directory_companies (company_id, data, contact, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (company_id) DO UPDATE SET data = excluded.data, contact = excluded.contact, updated_at = excluded.updated_at`,
      [company.companyId, JSON.stringify(data), contact === null ? null : JSON.stringify(contact), now],
    );
    if (!existed) inserted += 1;
  }
  return { inserted, updated: companies.length - inserted };
}

type CompanyRow = { data: string; contact: string | null };

const toCompany = (row: CompanyRow): DirectoryCompany => ({
  ...(JSON.parse(row.data) as Omit<DirectoryCompany, 'contact'>),
  contact: row.contact ? JSON.parse(row.contact) : null,
});

export async function allCompanies(db: Database): Promise<DirectoryCompany[]> {
  const rows = await db.query<CompanyRow>(
    'SELECT data, contact FROM directory_companies ORDER BY company_id',
  );
  return rows.map(toCompany);
}

/**
 * One page of the directory in company id order, read by the database alone: `after` (the last id of
 * the previous page) seeks through the primary key, `offset` skips rows for callers that count pages.
 */
export async function companiesPage(
  db: Database,
  page: { limit: number; offset: number; after?: string },
): Promise<DirectoryCompany[]> {
  const rows =
    page.after === undefined
      ? await db.query<CompanyRow>(
          'SELECT data, contact FROM directory_companies ORDER BY company_id LIMIT ? OFFSET ?',
          [page.limit, page.offset],
        )
      : await db.query<CompanyRow>(
          'SELECT data, contact FROM directory_companies WHERE company_id > ? ORDER BY company_id LIMIT ?',
          [page.after, page.limit],
        );
  return rows.map(toCompany);
}

export async function findCompany(db: Database, companyId: string): Promise<DirectoryCompany | undefined> {
  const [row] = await db.query<CompanyRow>(
    'SELECT data, contact FROM directory_companies WHERE company_id = ?',
    [companyId],
  );
  return row ? toCompany(row) : undefined;
}

export async function directorySize(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM directory_companies');
  return Number(row?.n ?? 0);
}
