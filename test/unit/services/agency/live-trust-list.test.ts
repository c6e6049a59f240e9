import path from 'node:path';
import { createRotationStatement, signRecord, verifyRecord, type AgencyKeys } from '@passport/trust';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { LiveTrustList, trustListOf } from '@passport/agency-service/live-trust-list';
import { appliedRotations } from '@passport/agency-service/store/applied-rotations';
import {
  agencyKeys,
  manualClock,
  sampleRecord,
  T0,
  temporaryFolder,
  trustListOf as listOfKeys,
} from '../../libs/trust/trust-fixtures';

const clock = manualClock();
const after = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keys: Record<string, AgencyKeys>;

beforeEach(async () => {
  clock.set(T0);
  folder = await temporaryFolder();
  keys = await agencyKeys(path.join(folder.dir, 'keys'), ['bwi', 'aura'], clock.now);
});
afterEach(() => folder.cleanup());

async function openDb() {
  const db = openSqlite(path.join(folder.dir, 'agency.db'));
  await migrate(db);
  return db;
}

async function bwiStatement(): Promise<string> {
  clock.set(after(1));
  const next = await keys.bwi!.rotate(after(2));
  return createRotationStatement(keys.bwi!, next, after(48));
}

const codeOf = async (work: Promise<unknown>) =>
  work.then(
    () => 'ok',
    (error: { code?: string; reason?: string }) => `${error.code}/${error.reason}`,
  );

describe('LiveTrustList', () => {
  it('verifies with a rotated key at once, and still knows it after a restart', async () => {
    const base = listOfKeys(keys);
    const statement = await bwiStatement();
    clock.set(after(3));
    const byNew = { ...sampleRecord(), headers: signRecord(sampleRecord(), keys.bwi!) };
    const db = await openDb();
    const live = await LiveTrustList.load(db, base);
    expect(() => verifyRecord(byNew, trustListOf(live), after(3))).toThrow(
      expect.objectContaining({ code: 'PASSPORT_KEY_UNKNOWN' }),
    );
    await db.transaction((tx) => live.apply(tx, statement, 'bwi', after(1.5)));
    expect(verifyRecord(byNew, trustListOf(live), after(3)).signer).toBe('bwi');
    // Applying the same statement again changes nothing and stores nothing twice.
    await db.transaction((tx) => live.apply(tx, statement, 'bwi', after(1.6)));
    expect(await appliedRotations(db)).toHaveLength(1);
    await db.close();

    const reopened = await openDb();
    const restarted = await LiveTrustList.load(reopened, base);
    expect(verifyRecord(byNew, trustListOf(restarted), after(3)).keyId).toBe(
      keys.bwi!.generations()[1]!.signingKeyId,
    );
    expect(restarted.current().toDocument()).toEqual(live.current().toDocument());
    await reopened.close();
  });

  it('refuses a statement carried by a record another agency signed, and changes nothing', async () => {
    const base = listOfKeys(keys);
    const statement = await bwiStatement();
    const db = await openDb();
    const live = await LiveTrustList.load(db, base);
    expect(await codeOf(db.transaction((tx) => live.apply(tx, statement, 'aura', after(1.5))))).toBe(
      'PASSPORT_ROTATION_REFUSED/statement-agency-is-signer',
    );
    expect(live.current().toDocument()).toEqual(base.toDocument());
    expect(await appliedRotations(db)).toEqual([]);
    await db.close();
  });

  it('refuses a statement whose second signature is not the new key, and changes nothing', async () => {
    const base = listOfKeys(keys);
    const statement = JSON.parse(await bwiStatement()) as { signatures: Array<{ sig: string }> };
    const forged = statement.signatures[0]!.sig;
    statement.signatures[1]!.sig = forged;
    const db = await openDb();
    const live = await LiveTrustList.load(db, base);
    expect(
      await codeOf(db.transaction((tx) => live.apply(tx, JSON.stringify(statement), 'bwi', after(1.5)))),
    ).toBe('PASSPORT_ROTATION_REFUSED/PASSPORT_SIGNATURE_INVALID');
    expect(live.current().toDocument()).toEqual(base.toDocument());
    expect(await appliedRotations(db)).toEqual([]);
    await db.close();
  });

  it('skips a stored statement that no longer applies to a replaced base file, and says so', async () => {
    const statement = await bwiStatement();
    const db = await openDb();
    const live = await LiveTrustList.load(db, listOfKeys(keys));
    await db.transaction((tx) => live.apply(tx, statement, 'bwi', after(1.5)));
    const withoutBwi = listOfKeys({ aura: keys.aura! });
    const skipped: string[] = [];
    const restarted = await LiveTrustList.load(db, withoutBwi, (agencyId) => skipped.push(agencyId));
    expect(skipped).toEqual(['bwi']);
    expect(restarted.current().toDocument()).toEqual(withoutBwi.toDocument());
    await db.close();
  });
});
