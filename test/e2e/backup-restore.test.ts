import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequestBody } from '../support/agency-http';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import { passport } from '../support/console';
import { sqliteRows } from '../support/sqlite-rows';

/**
 * docs/operations/backup-and-restore.md, step by step, on the real broker: save AURA's group offsets,
 * then back its SQLite database up online; let more events arrive; stop AURA, restore both, start it.
 * The restored agency must read again what came after the saved offsets, apply none of it twice and
 * lose none of it.
 */
const AURA_PURPOSE = `e2e-backup-${randomBytes(4).toString('hex')}`;
const AURA_GROUP = `aura.${AURA_PURPOSE}`;

/** The documented commands: sqlite3's online backup while the service runs, its restore once stopped. */
const sqlite3 = (file: string, command: string) =>
  execFileSync('sqlite3', [file, command], { stdio: 'pipe' });

const rows = sqliteRows;

describe('backing up and restoring one agency (database plus consumer offsets)', () => {
  let system: AgencySystem;

  beforeAll(async () => {
    system = await startAgencySystem(28_231, { env: { aura: { CONSUMER_GROUP_PURPOSE: AURA_PURPOSE } } });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const auraDb = () => system.dbFiles.aura as string;
  const newRequest = async () =>
    (await system.call<{ requestId: string }>('bwi', 'POST', '/requests', createRequestBody())).body
      .requestId;
  const inboxStatus = (file: string, requestId: string) =>
    rows<{ status: string }>(file, 'SELECT status FROM inbox WHERE request_id = ?', requestId)[0]?.status;
  // The system's groups start from the topics' beginning: other tests' requests are there too.
  let ours: string[] = [];
  const auraFeed = () =>
    rows<{ kind: string; request_id: string; n: number }>(
      auraDb(),
      'SELECT kind, request_id, COUNT(*) AS n FROM feed GROUP BY kind, request_id ORDER BY kind, request_id',
    ).filter((row) => ours.includes(row.request_id));
  const auraAcknowledgements = (requestId: string) =>
    rows<{ n: number }>(
      auraDb(),
      "SELECT COUNT(*) AS n FROM outbox WHERE request_id = ? AND event LIKE '%RequestAcknowledged%'",
      requestId,
    )[0]?.n;
  const acknowledgedByAura = async (requestId: string) => {
    const { body } = await system.call<{ partners: Array<{ agencyId: string; status: string }> }>(
      'bwi',
      'GET',
      `/requests/${requestId}`,
    );
    return body.partners.find((p) => p.agencyId === 'aura')?.status === 'acknowledged' ? true : undefined;
  };

  /** AURA's inbox has the first request closed and the later ones acknowledged. */
  const auraHolds = (closed: string, open: string[], what: string) =>
    eventually(
      async () =>
        inboxStatus(auraDb(), closed) === 'closed' &&
        open.every((id) => inboxStatus(auraDb(), id) === 'acknowledged')
          ? true
          : undefined,
      what,
      60_000,
    );

  it('re-reads what came after the saved offsets, applies nothing twice, loses nothing', async () => {
    const before = await newRequest();
    ours = [before];
    await eventually(() => acknowledgedByAura(before), 'aura acknowledging the request before the backup');

    // 1. Offsets first, then the database: the saved positions are never ahead of what the copy holds.
    const offsetsFile = join(system.dir, 'aura-offsets.json');
    const backupFile = join(system.dir, 'aura-backup.db');
    const saved = await passport([
      'offsets',
      'export',
      '--group',
      AURA_GROUP,
      '--out',
      offsetsFile,
      '--json',
    ]);
    expect(saved.code).toBe(0);
    expect(statSync(offsetsFile).mode & 0o777).toBe(0o600);
    sqlite3(auraDb(), `.backup '${backupFile}'`);
    expect(inboxStatus(backupFile, before)).toBe('acknowledged');

    // 2. Life goes on: two new requests reach AURA and the first one is closed.
    const after = [await newRequest(), await newRequest()];
    ours = [before, ...after];
    const closed = await system.call('bwi', 'POST', `/requests/${before}/close`, { reason: 'WITHDRAWN' });
    expect(closed.status).toBeLessThan(300);
    await auraHolds(before, after, 'aura applying the events after the backup');
    for (const id of after)
      await eventually(() => acknowledgedByAura(id), 'aura acknowledging a new request');
    const feedBeforeRestore = auraFeed();

    // 3. The group's offsets cannot be moved under a running service.
    const whileRunning = await passport(['offsets', 'import', offsetsFile, '--yes']);
    expect(whileRunning.code).not.toBe(0);
    expect(whileRunning.err).toContain('PASSPORT_GROUP_ACTIVE');

    // 4. Stop, restore the database and the offsets, start.
    await system.services.aura?.stop();
    sqlite3(auraDb(), `.restore '${backupFile}'`);
    expect(after.map((id) => inboxStatus(auraDb(), id))).toEqual([undefined, undefined]);
    const restored = await passport(['offsets', 'import', offsetsFile, '--yes', '--json']);
    expect(restored.code).toBe(0);
    expect(restored.json<{ group: string }>().group).toBe(AURA_GROUP);
    await system.restart('aura');

    // 5. What came after the backup is read again and applied once: the same back-office feed as
    // before the restore, each request received once, the closure applied, one acknowledgement each.
    await auraHolds(before, after, 'the restored aura reading the events after the backup again');
    await eventually(
      async () => (after.every((id) => auraAcknowledgements(id) === 1) ? true : undefined),
      'the restored aura acknowledging the requests it had forgotten',
    );
    expect(auraFeed()).toEqual(feedBeforeRestore);
    expect(
      auraFeed()
        .filter((row) => row.kind === 'inbox.request_received')
        .map((row) => row.n),
    ).toEqual([1, 1, 1]);
    expect(ours.map(auraAcknowledgements)).toEqual([1, 1, 1]);
  }, 240_000);
});
