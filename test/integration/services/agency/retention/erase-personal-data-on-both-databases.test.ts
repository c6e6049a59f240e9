import { AGENCY_DATABASE_ENGINES, eachTestOnANewDatabase } from '../../../../support/agency-databases';
import { firm, LONG_AGO, NOW, policy, profile, RECENTLY } from '../../../../support/retention-clock';
import type { Database } from '@passport/agency-service/db/database';
import { DAY_MS } from '@passport/agency-service/retention/policy';
import { pruneExpired } from '@passport/agency-service/retention/prune';
import { insertInboxEntry, setInboxStatus } from '@passport/agency-service/store/inbox';
import {
  introductionsOf,
  upsertIntroduction,
  type Introduction,
} from '@passport/agency-service/store/introductions';
import { saveIntroductionKey } from '@passport/agency-service/store/introduction-keys';
import {
  closeOwnRequest,
  findOwnRequest,
  insertOwnRequest,
} from '@passport/agency-service/store/own-requests';

const introduction = (requestId: string, role: Introduction['role']): Introduction => ({
  requestId,
  candidateRef: `${requestId}-candidate`,
  role,
  partnerAgency: 'accio',
  status: 'accepted',
  firmName: firm.name,
  firmContact: firm.contact,
  candidateName: 'Jordi Exemple',
  candidateContact: { fullName: 'Jordi Exemple', email: 'jordi@example.org' },
  reason: null,
});

/** Our private key for the request: deleting it is what makes the sealed copies on the topics unreadable. */
const ownKey = (requestId: string) => ({
  requestId,
  agencyId: 'accio',
  candidateRef: '',
  side: 'own' as const,
  keyId: 'K'.repeat(22),
  publicKey: 'P'.repeat(43),
  privateBlob: 'pik1.not-a-real-key',
});

describe.each(AGENCY_DATABASE_ENGINES)('personal-data erasure on %s', (_name, open) => {
  let db: Database;

  eachTestOnANewDatabase(open, (opened) => (db = opened));

  it('erases firms and contact persons of requests closed long ago, on both sides, and nothing else', async () => {
    await db.transaction(async (tx) => {
      for (const id of ['closed-long-ago', 'closed-recently', 'still-open']) {
        await insertOwnRequest(tx, id, firm, profile, LONG_AGO);
        await upsertIntroduction(tx, introduction(id, 'home'), LONG_AGO);
        await saveIntroductionKey(tx, ownKey(id), LONG_AGO);
      }
      await closeOwnRequest(tx, 'closed-long-ago', 'FULFILLED', LONG_AGO);
      await closeOwnRequest(tx, 'closed-recently', 'FULFILLED', RECENTLY);
      for (const id of ['partner-closed', 'partner-open', 'partner-never-closed']) {
        await insertInboxEntry(
          tx,
          id,
          'aura',
          { ...profile, deadline: new Date(id === 'partner-never-closed' ? LONG_AGO : NOW + DAY_MS) },
          LONG_AGO,
        );
        await upsertIntroduction(tx, introduction(id, 'partner'), LONG_AGO);
        await saveIntroductionKey(tx, ownKey(id), LONG_AGO);
      }
      await setInboxStatus(tx, 'partner-closed', 'closed', LONG_AGO);
    });

    const counts = await pruneExpired(db, policy, NOW, 1);

    expect(counts).toMatchObject({ own_requests: 1, introductions: 3, introduction_keys: 3 });
    const keysLeft = await db.query<{ request_id: string }>(
      'SELECT request_id FROM introduction_keys ORDER BY request_id',
    );
    expect(keysLeft.map((row) => row.request_id)).toEqual(['closed-recently', 'partner-open', 'still-open']);
    const erased = await findOwnRequest(db, 'closed-long-ago');
    expect(erased).toMatchObject({ firm: null, personalDataErasedAt: new Date(NOW), status: 'closed' });
    const raw = await db.query<{ firm_name: string; firm_contact: string }>(
      "SELECT firm_name, firm_contact FROM own_requests WHERE request_id = 'closed-long-ago'",
    );
    expect(JSON.stringify(raw)).not.toMatch(/Zahnradwerk|Mustermann|@/);
    expect((await findOwnRequest(db, 'closed-recently'))?.firm).toEqual(firm);
    expect((await findOwnRequest(db, 'still-open'))?.firm).toEqual(firm);

    const personal = async (requestId: string, role: Introduction['role']) => {
      const [intro] = await introductionsOf(db, requestId, role);
      return intro && [intro.firmName, intro.firmContact, intro.candidateName, intro.candidateContact];
    };
    for (const [id, role] of [
      ['closed-long-ago', 'home'],
      ['partner-closed', 'partner'],
      ['partner-never-closed', 'partner'],
    ] as const) {
      expect(await personal(id, role)).toEqual([null, null, null, null]);
      expect((await introductionsOf(db, id, role))[0]?.status).toBe('accepted');
    }
    for (const [id, role] of [
      ['closed-recently', 'home'],
      ['still-open', 'home'],
      ['partner-open', 'partner'],
    ] as const)
      expect(await personal(id, role)).toEqual([firm.name, firm.contact, 'Jordi Exemple', expect.anything()]);
  });
});
