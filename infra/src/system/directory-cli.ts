import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { loadAgencies } from '@passport/config';
import { profileFromEnvironment } from '../profile';

const USAGE = `Usage: npm run directory -- import <file.csv|file.json> --agency <id> [--url <service URL>] [--key <API key>]

Imports companies into an agency's ecosystem directory through its API (POST /directory/import).
Rows are validated one by one; rejected rows are listed with their line and field, accepted ones are
upserted by companyId. Defaults: the service and API key of \`npm start\` for that agency.`;

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [command, file] = argv;
  if (command !== 'import' || !file || argv.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || argv.includes('--help') ? 0 : 2;
  }
  const agencies = loadAgencies();
  const agencyId = option(argv, 'agency');
  const index = agencies.findIndex((a) => a.id === agencyId);
  if (index < 0) throw new Error(`--agency must be one of ${agencies.map((a) => a.id).join(', ')}`);
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  const keysFile = join(profileFromEnvironment('dev').homeDir, 'api-keys.json');
  const key =
    option(argv, 'key') ??
    (existsSync(keysFile)
      ? (JSON.parse(readFileSync(keysFile, 'utf8')) as Record<string, string>)[agencyId as string]
      : undefined);
  if (!key) throw new Error(`no API key: pass --key or run npm start once (it writes ${keysFile})`);
  const url =
    option(argv, 'url') ??
    `http://127.0.0.1:${Number(process.env.PASSPORT_SERVICE_PORT_BASE ?? 18_101) + index}`;
  const body = readFileSync(file, 'utf8');
  const csv = extname(file).toLowerCase() === '.csv';
  process.stderr.write(
    `Uploading ${(body.length / 1024).toFixed(0)} KiB of ${csv ? 'CSV' : 'JSON'} to ${url}/directory/import…\n`,
  );
  const response = await fetch(`${url}/directory/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': csv ? 'text/csv' : 'application/json' },
    body,
  });
  const report = (await response.json()) as {
    accepted?: number;
    inserted?: number;
    updated?: number;
    directorySize?: number;
    rejected?: Array<{ line: number; companyId: string | null; field: string; message: string }>;
    error?: { message: string };
  };
  if (!response.ok) throw new Error(report.error?.message ?? `HTTP ${response.status}`);
  process.stdout.write(
    `${report.accepted} accepted (${report.inserted} new, ${report.updated} updated); directory now holds ${report.directorySize} companies.\n`,
  );
  for (const row of report.rejected ?? [])
    process.stdout.write(
      `  line ${row.line}${row.companyId ? ` (${row.companyId})` : ''}: ${row.field || '(row)'}: ${row.message}\n`,
    );
  if (report.rejected?.length)
    process.stdout.write(`${report.rejected.length} problem(s) in rejected rows.\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`directory: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
