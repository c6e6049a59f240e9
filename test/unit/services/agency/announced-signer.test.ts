import path from 'node:path';
import { createRotationStatement, signRecord, verifyRecord, type AgencyKeys } from '@passport/trust';
import { announcedSigner } from '@passport/agency-service/announced-signer';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { LiveTrustList } from '@passport/agency-service/live-trust-list';
import {
  agencyKeys,
  manualClock,
  sampleRecord,
  T0,
  temporaryFolder,
  trustListOf,
} from '../../libs/trust/trust-fixtures';

const clock = manualClock();
const after = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keys: Record<string, AgencyKeys>;

beforeEach(async () => {
  clock.set(T0);
  folder = await temporaryFolder();
  keys = await agencyKeys(path.join(folder.dir, 'keys'), ['bwi'], clock.now);
});
afterEach(() => folder.cleanup());

describe('announcedSigner', () => {
  it('never signs with a generation whose rotation was not announced, and switches once it is', async () => {
    const base = trustListOf(keys);
    const live = LiveTrustList.fixed(base);
    const signer = announcedSigner(keys.bwi!, live, clock.now);
    const [first] = keys.bwi!.generations();
    clock.set(after(1));
    const next = await keys.bwi!.rotate(after(2));
    const statement = createRotationStatement(keys.bwi!, next, after(48));

    // Past activeFrom, the key store would sign with the new generation; nobody has been told of it.
    clock.set(after(3));
    expect(keys.bwi!.current().generation).toBe(2);
    const unannounced = { ...sampleRecord(), headers: signRecord(sampleRecord(), signer) };
    expect(verifyRecord(unannounced, base, after(3)).keyId).toBe(first!.signingKeyId);

    const db = openSqlite(':memory:');
    await migrate(db);
    await db.transaction((tx) => live.apply(tx, statement, 'bwi', after(1.5)));
    await db.close();
    const announced = { ...sampleRecord(), headers: signRecord(sampleRecord(), signer) };
    expect(verifyRecord(announced, live.current(), after(3)).keyId).toBe(next.signingKeyId);
  });

  it('signs with the current generation before the next one starts', async () => {
    const live = LiveTrustList.fixed(trustListOf(keys));
    const signer = announcedSigner(keys.bwi!, live, clock.now);
    clock.set(after(1));
    await keys.bwi!.rotate(after(2));
    const record = { ...sampleRecord(), headers: signRecord(sampleRecord(), signer) };
    expect(verifyRecord(record, live.current(), after(1)).keyId).toBe(
      keys.bwi!.generations()[0]!.signingKeyId,
    );
  });
});
