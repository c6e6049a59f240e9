import { ConflictError, NotFoundError } from '@passport/errors';
import {
  destroyIntroductionKeys,
  eraseConfirmedOutbox,
  eraseIntroductionFeed,
  eraseRequestDeadLetters,
  eraseIntroductionRows,
  eraseOwnRequestFirm,
} from '../../erasure/erase-copies';
import { erasuresOf, saveErasure } from '../../store/erasures';
import { inboxHomeAgency } from '../../store/inbox';
import { findIntroduction, introductionsOf } from '../../store/introductions';
import { findOwnRequest } from '../../store/own-requests';
import { emit, type HandlerDeps } from '../deps';

/**
 * A firm asks for its data to be erased (README "Erasure"): in this one transaction the firm of our
 * closed request, the personal data of its introductions and their feed entries go, our keys for them
 * are destroyed (so the sealed copies on the topic and in backups no longer open), each partner of an
 * introduction is told by a signed PersonalDataErased, and an erasure record without the data is kept.
 */
export async function eraseRequest(requestId: string, deps: HandlerDeps) {
  const request = await findOwnRequest(deps.db, requestId);
  if (!request) throw new NotFoundError(`request ${requestId}`);
  if (request.status === 'open')
    throw new ConflictError(
      `request ${requestId} is open: close it (POST /requests/${requestId}/close) first`,
    );
  // A record with a candidate ref is a partner's erasure of one introduction, not of the request.
  const records = await erasuresOf(deps.db, requestId);
  if (records.some((record) => record.role === 'home' && record.candidateRef === ''))
    throw new ConflictError(`request ${requestId} was erased already`);
  const now = deps.now().getTime();
  const introductions = await introductionsOf(deps.db, requestId, 'home');
  await eraseOwnRequestFirm(deps.db, requestId, now);
  await eraseIntroductionRows(deps.db, requestId, 'home');
  await eraseIntroductionFeed(deps.db, requestId);
  await eraseConfirmedOutbox(deps.db, requestId);
  await eraseRequestDeadLetters(deps.db, requestId);
  const destroyedKeyIds: string[] = [];
  const eventIds: string[] = [];
  // Every partner we hold keys of for the request, introduced or not.
  const partners = await deps.db.query<{ agency_id: string }>(
    'SELECT DISTINCT agency_id FROM introduction_keys WHERE request_id = ? ORDER BY agency_id',
    [requestId],
  );
  for (const partner of partners.map((row) => row.agency_id))
    destroyedKeyIds.push(...(await destroyIntroductionKeys(deps.db, requestId, partner)));
  for (const intro of introductions) {
    const event = await emit(deps, requestId, {
      type: 'PersonalDataErased',
      payload: { addressedTo: intro.partnerAgency, candidateRef: intro.candidateRef },
    });
    eventIds.push(event.eventId);
  }
  const record = {
    requestId,
    candidateRef: '',
    role: 'home' as const,
    requestedBy: 'api',
    categories: [
      'firm' as const,
      'candidate' as const,
      'feed' as const,
      'outbox' as const,
      'introduction-keys' as const,
    ],
    destroyedKeyIds,
    eventIds,
    erasedAt: now,
  };
  await saveErasure(deps.db, record);
  return { ...record, erasedAt: new Date(now).toISOString() };
}

/**
 * A candidate asks for its data to be erased, at the partner agency that proposed it: the
 * introduction's names and contacts here, the request's introduction feed bodies and confirmed outbox
 * rows, and the home agency is told by a signed PersonalDataErased; it destroys its key for this
 * introduction, which the candidate was sealed to. Our key is per request and stays (other candidates
 * of the request may still be introduced); an erasure record is kept.
 */
export async function eraseIntroduction(requestId: string, candidateRef: string, deps: HandlerDeps) {
  const home = await inboxHomeAgency(deps.db, requestId);
  if (home === undefined) throw new NotFoundError(`request ${requestId} in the inbox`);
  if (!(await findIntroduction(deps.db, requestId, candidateRef, 'partner')))
    throw new NotFoundError(`introduction of ${candidateRef} for request ${requestId}`);
  const records = await erasuresOf(deps.db, requestId);
  if (records.some((record) => record.role === 'partner' && record.candidateRef === candidateRef))
    throw new ConflictError(`introduction of ${candidateRef} for request ${requestId} was erased already`);
  const now = deps.now().getTime();
  await eraseIntroductionRows(deps.db, requestId, 'partner', candidateRef);
  await eraseIntroductionFeed(deps.db, requestId, candidateRef);
  await eraseConfirmedOutbox(deps.db, requestId);
  const event = await emit(deps, requestId, {
    type: 'PersonalDataErased',
    payload: { addressedTo: home, candidateRef },
  });
  const record = {
    requestId,
    candidateRef,
    role: 'partner' as const,
    requestedBy: 'api',
    categories: ['firm' as const, 'candidate' as const, 'feed' as const, 'outbox' as const],
    destroyedKeyIds: [],
    eventIds: [event.eventId],
    erasedAt: now,
  };
  await saveErasure(deps.db, record);
  return { ...record, erasedAt: new Date(now).toISOString() };
}
