import { ConflictError, SealInvalidError, SealKeyUnavailableError } from '@passport/errors';
import { eventToJson, validateOutgoing, type PassportEvent } from '@passport/events';
import { randomUUID } from 'node:crypto';
import { acceptIntroduction } from '@passport/agency-service/handlers/commands/inbox';
import { requestIntroduction } from '@passport/agency-service/handlers/commands/own-requests';
import type { SealingMode } from '@passport/agency-service/handlers/sealing/sealing-mode';
import { findIntroduction } from '@passport/agency-service/store/introductions';
import { receivedCandidates } from '@passport/agency-service/store/own-requests';
import {
  command,
  deliver,
  exchange,
  openAgencyState,
  sendRequest,
  type AgencyState,
} from '../../../../../fixtures/exchange';
import { sampleFirm } from '../../../../../fixtures/own-requests';
import { candidatesProposedSample } from '../../../../../fixtures/events';

const consent = () => ({ givenAt: new Date(Date.now() - 60_000), method: 'WRITTEN', reference: null });
const candidateContact = {
  fullName: 'Jordi Exemple',
  role: null,
  email: 'jordi.exemple@candidate.example',
  phone: null,
  preferredLanguage: 'ca',
};

/** BW_i asks ACCIÓ (which answers from its directory) and AURA; `modes` sets each one's SEALED_INTRODUCTIONS. */
async function story(modes: { bwi?: SealingMode; accio?: SealingMode } = {}) {
  const bwi: AgencyState = { ...(await openAgencyState('bwi')), sealing: modes.bwi ?? 'required' };
  const accio: AgencyState = {
    ...(await openAgencyState('accio', true)),
    sealing: modes.accio ?? 'required',
  };
  const aura = await openAgencyState('aura');
  const requestId = await sendRequest(bwi, [accio, aura]);
  const [candidate] = await receivedCandidates(bwi.db, requestId);
  if (!candidate) throw new Error('ACCIÓ proposed no candidate');
  const { candidateRef } = candidate;
  const introduce = () =>
    command(bwi, (deps) => requestIntroduction(requestId, { candidateRef, consent: consent() }, deps));
  const accept = () =>
    command(accio, (deps) =>
      acceptIntroduction(
        requestId,
        candidateRef,
        { candidateName: 'Transmisiones Ejemplo SL', contact: candidateContact, consent: consent() },
        deps,
      ),
    );
  const close = async () => Promise.all([bwi.db.close(), accio.db.close(), aura.db.close()]);
  return { bwi, accio, aura, requestId, candidateRef, introduce, accept, close };
}

type Story = Awaited<ReturnType<typeof story>>;
let current: Story | undefined;
afterEach(async () => current?.close());
const begin = async (modes?: Parameters<typeof story>[0]) => (current = await story(modes));

const clearDataIn = (events: readonly PassportEvent[]) => {
  const text = events.map(eventToJson).join('\n');
  return [sampleFirm.name, sampleFirm.contact.email, 'Transmisiones Ejemplo', candidateContact.email].filter(
    (value) => text.includes(value),
  );
};

async function deliveryError(to: AgencyState, event: PassportEvent): Promise<unknown> {
  try {
    await deliver(to, event);
  } catch (error) {
    return error;
  }
  throw new Error('expected the delivery to fail');
}

describe('sealed introductions between two agencies that seal', () => {
  it('sends the firm sealed to the partner, which opens it; the candidate comes back sealed and opens at home', async () => {
    const s = await begin();
    await s.introduce();
    const sent = await exchange(s.bwi, [s.accio, s.aura]);
    expect(sent.map((event) => event.type)).toEqual(['SealedIntroductionRequested']);
    expect(await findIntroduction(s.accio.db, s.requestId, s.candidateRef, 'partner')).toMatchObject({
      status: 'requested',
      firmName: sampleFirm.name,
      firmContact: sampleFirm.contact,
    });
    expect(await findIntroduction(s.aura.db, s.requestId, s.candidateRef, 'partner')).toBeUndefined();

    await s.accept();
    const answered = await exchange(s.accio, [s.bwi, s.aura]);
    expect(answered.map((event) => event.type)).toEqual(['SealedIntroductionAccepted']);
    expect(await findIntroduction(s.bwi.db, s.requestId, s.candidateRef, 'home')).toMatchObject({
      status: 'accepted',
      candidateName: 'Transmisiones Ejemplo SL',
      candidateContact,
    });
    expect(clearDataIn([...sent, ...answered])).toEqual([]);
  });

  it('refuses a sealed field moved into another event, applying nothing', async () => {
    const s = await begin();
    await s.introduce();
    const [original] = (await exchange(s.bwi, [])) as [PassportEvent];
    const moved = validateOutgoing({ ...original, eventId: randomUUID() }) as PassportEvent;
    const error = await deliveryError(s.accio, moved);
    expect(error).toBeInstanceOf(SealInvalidError);
    expect(error).toMatchObject({ code: 'PASSPORT_SEAL_INVALID', retriable: false });
    const copiedByAThird = validateOutgoing({ ...original, eventId: randomUUID(), source: 'promos' });
    expect(await deliveryError(s.accio, copiedByAThird as PassportEvent)).toMatchObject({
      code: 'PASSPORT_SEAL_INVALID',
    });
    expect(await findIntroduction(s.accio.db, s.requestId, s.candidateRef, 'partner')).toBeUndefined();
    expect(await deliver(s.accio, original)).toBe('applied');
  });

  it('refuses a tampered sealed field as PASSPORT_SEAL_INVALID', async () => {
    const s = await begin();
    await s.introduce();
    const [original] = (await exchange(s.bwi, [])) as [PassportEvent & { payload: { sealedFirm: string } }];
    const sealed = original.payload.sealedFirm;
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'AB' : 'AA'}`;
    const tampered = { ...original, payload: { ...original.payload, sealedFirm: flipped } } as PassportEvent;
    expect(await deliveryError(s.accio, tampered)).toMatchObject({ code: 'PASSPORT_SEAL_INVALID' });
  });

  it('parks what is sealed to a key no longer held (erased) as PASSPORT_SEAL_KEY_UNAVAILABLE', async () => {
    const s = await begin();
    await s.introduce();
    const [original] = (await exchange(s.bwi, [])) as [PassportEvent];
    await s.accio.db.execute("DELETE FROM introduction_keys WHERE request_id = ? AND side = 'own'", [
      s.requestId,
    ]);
    const error = await deliveryError(s.accio, original);
    expect(error).toBeInstanceOf(SealKeyUnavailableError);
    expect(await findIntroduction(s.accio.db, s.requestId, s.candidateRef, 'partner')).toBeUndefined();
  });
});

describe('a partner that announced no introduction key (a version before sealing)', () => {
  it('is refused by default: 409 naming the reason and the setting, nothing sent', async () => {
    const s = await begin({ accio: 'off' });
    const error = await s.introduce().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(
      /accio announced no introduction key.*SEALED_INTRODUCTIONS=fallback-to-clear/,
    );
    expect(await exchange(s.bwi, [])).toEqual([]);
  });

  it('gets the v1 clear request under fallback-to-clear, and answers in clear', async () => {
    const s = await begin({ bwi: 'fallback-to-clear', accio: 'off' });
    await s.introduce();
    const sent = await exchange(s.bwi, [s.accio, s.aura]);
    expect(sent.map((event) => event.type)).toEqual(['IntroductionRequested']);
    await s.accept();
    expect((await exchange(s.accio, [s.bwi])).map((event) => event.type)).toEqual(['IntroductionAccepted']);
    expect(await findIntroduction(s.bwi.db, s.requestId, s.candidateRef, 'home')).toMatchObject({
      status: 'accepted',
      candidateContact,
    });
  });

  it('still gets sealed introductions from a home agency in fallback-to-clear once it announces a key', async () => {
    const s = await begin({ bwi: 'fallback-to-clear' });
    await s.introduce();
    expect((await exchange(s.bwi, [s.accio])).map((event) => event.type)).toEqual([
      'SealedIntroductionRequested',
    ]);
  });
});

describe('erasure of the per-introduction key', () => {
  it('leaves a redelivery of an applied sealed event a duplicate, not a failure', async () => {
    const s = await begin();
    await s.introduce();
    const [original] = (await exchange(s.bwi, [s.accio])) as [PassportEvent];
    await s.accio.db.execute("DELETE FROM introduction_keys WHERE request_id = ? AND side = 'own'", [
      s.requestId,
    ]);
    expect(await deliver(s.accio, original)).toBe('duplicate');
  });
});

describe('announced keys', () => {
  it('keeps the home key of an introduction asked for twice, so an answer sealed to the first still opens', async () => {
    const s = await begin();
    await s.introduce();
    await s.introduce();
    const sent = (await exchange(s.bwi, [s.accio])) as Array<
      PassportEvent & { payload: { homeKey: unknown } }
    >;
    expect(sent).toHaveLength(2);
    expect(sent[1]?.payload.homeKey).toEqual(sent[0]?.payload.homeKey);
    await s.accept();
    await exchange(s.accio, [s.bwi]);
    expect(await findIntroduction(s.bwi.db, s.requestId, s.candidateRef, 'home')).toMatchObject({
      status: 'accepted',
    });
  });

  const badKey = { keyId: 'A'.repeat(22), publicKey: 'B'.repeat(43) };

  it('parks a sealed request whose home key is not named by its id, holding nothing', async () => {
    const s = await begin();
    await s.introduce();
    const [original] = (await exchange(s.bwi, [])) as [PassportEvent & { payload: object }];
    const forged = { ...original, payload: { ...original.payload, homeKey: badKey } } as PassportEvent;
    expect(await deliveryError(s.accio, forged)).toMatchObject({
      code: 'PASSPORT_SEAL_INVALID',
      details: { field: 'homeKey' },
    });
    expect(await findIntroduction(s.accio.db, s.requestId, s.candidateRef, 'partner')).toBeUndefined();
  });

  it('parks candidates announced with a key not named by its id, taking none of them', async () => {
    const bwi = await openAgencyState('bwi');
    // Without a directory ACCIÓ only acknowledges: the reply below is the request's only one.
    const accio = await openAgencyState('accio');
    current = { close: async () => Promise.all([bwi.db.close(), accio.db.close()]) } as unknown as Story;
    const requestId = await sendRequest(bwi, [accio]);
    const reply = validateOutgoing({
      ...candidatesProposedSample,
      eventId: randomUUID(),
      occurredAt: new Date(),
      source: 'accio',
      requestId,
      causationId: null,
      correlationId: requestId,
      payload: { ...candidatesProposedSample.payload, introductionKey: badKey },
    }) as PassportEvent;
    expect(await deliveryError(bwi, reply)).toMatchObject({
      code: 'PASSPORT_SEAL_INVALID',
      details: { field: 'introductionKey' },
    });
    expect(await receivedCandidates(bwi.db, requestId)).toEqual([]);
  });
});
