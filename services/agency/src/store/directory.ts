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

export async function allCompanies(db: Database): Promise<DirectoryCompany[]> {
  const rows = await db.query<{ data: string; contact: string | null }>(
    'SELECT data, contact FROM directory_companies ORDER BY company_id',
  );
  return rows.map((row) => ({
    ...(JSON.parse(row.data) as Omit<DirectoryCompany, 'contact'>),
    contact: row.contact ? JSON.parse(row.contact) : null,
  }));
}

export async function findCompany(db: Database, companyId: string): Promise<DirectoryCompany | undefined> {
  const [row] = await db.query<{ data: string; contact: string | null }>(
    'SELECT data, contact FROM directory_companies WHERE company_id = ?',
    [companyId],
  );
  return row
    ? {
        ...(JSON.parse(row.data) as Omit<DirectoryCompany, 'contact'>),
        contact: row.contact ? JSON.parse(row.contact) : null,
      }
    : undefined;
}

export async function directorySize(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM directory_companies');
  return Number(row?.n ?? 0);
}
