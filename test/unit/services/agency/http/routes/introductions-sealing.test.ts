import { loadAgencies, type Agency } from '@passport/config';
import { validateOutgoing, type PassportEvent } from '@passport/events';
import { createIntroductionKey } from '@passport/trust';
import { randomUUID } from 'node:crypto';
import { handlerDeps } from '@passport/agency-service/handlers/deps';
import { applyEvent } from '@passport/agency-service/handlers/reactions/apply-event';
import { unpublished } from '@passport/agency-service/store/outbox';
import { candidatesProposedSample } from '../../../../../fixtures/events';
import { agencyHttp, createRequestBody, jsonHeaders } from '../../../../../support/agency-http';

const bwi = loadAgencies().find((agency) => agency.id === 'bwi') as Agency;
const consent = () => ({ givenAt: new Date(Date.now() - 60_000).toISOString(), method: 'WRITTEN' });

/** BW_i's API with one request, answered by ACCIÓ with one candidate and `introductionKey`. */
async function answeredRequest(introductionKey: { keyId: string; publicKey: string } | null) {
  const api = await agencyHttp('bwi');
  const created = await api.app.inject({
    method: 'POST',
    url: '/requests',
    headers: jsonHeaders,
    payload: createRequestBody(),
  });
  const { requestId } = created.json() as { requestId: string };
  const reply = validateOutgoing({
    ...candidatesProposedSample,
    eventId: randomUUID(),
    occurredAt: new Date(),
    source: 'accio',
    requestId,
    causationId: null,
    correlationId: requestId,
    payload: { ...candidatesProposedSample.payload, introductionKey },
  }) as PassportEvent;
  await api.db.transaction((tx) => applyEvent(reply, handlerDeps(tx, bwi), 'accio'));
  const candidateRef = candidatesProposedSample.payload.candidates[0]?.candidateRef as string;
  const introduce = () =>
    api.app.inject({
      method: 'POST',
      url: `/requests/${requestId}/introductions`,
      headers: jsonHeaders,
      payload: { candidateRef, consent: consent() },
    });
  return { ...api, introduce };
}

describe('POST /requests/:id/introductions with sealing required (the default)', () => {
  it('answers 409 naming the partner and the setting when the partner announced no key, and sends nothing', async () => {
    const api = await answeredRequest(null);
    try {
      const before = (await unpublished(api.db, 100)).length;
      const response = await api.introduce();
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({
        code: 'PASSPORT_CONFLICT',
        message: expect.stringMatching(
          /accio announced no introduction key.*SEALED_INTRODUCTIONS=fallback-to-clear/,
        ),
      });
      expect((await unpublished(api.db, 100)).length).toBe(before);
    } finally {
      await api.app.close();
      await api.db.close();
    }
  });

  it('queues the sealed request when the partner announced a key; the outbox holds no clear firm', async () => {
    const api = await answeredRequest(createIntroductionKey().recipient);
    try {
      expect((await api.introduce()).statusCode).toBe(201);
      const rows = await unpublished(api.db, 100);
      const sent = rows.map((row) => row.event).filter((event) => event.type.includes('Introduction'));
      expect(sent.map((event) => event.type)).toEqual(['SealedIntroductionRequested']);
      const text = JSON.stringify(sent);
      const { firm } = createRequestBody();
      expect([firm.name, firm.contact.email].filter((value) => text.includes(value))).toEqual([]);
    } finally {
      await api.app.close();
      await api.db.close();
    }
  });
});
