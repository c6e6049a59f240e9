import { ConflictError, NotFoundError } from '@passport/errors';
import {
  destroyIntroductionKeys,
  eraseConfirmedOutbox,
  eraseIntroductionFeed,
  eraseIntroductionRows,
  eraseOwnRequestFirm,
} from '../../erasure/erase-copies';
import { erasuresOf, saveErasure } from '../../store/erasures';
import { introductionsOf } from '../../store/introductions';
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
  if ((await erasuresOf(deps.db, requestId)).some((record) => record.role === 'home'))
    throw new ConflictError(`request ${requestId} was erased already`);
  const now = deps.now().getTime();
  const introductions = await introductionsOf(deps.db, requestId, 'home');
  await eraseOwnRequestFirm(deps.db, requestId, now);
  await eraseIntroductionRows(deps.db, requestId, 'home');
  await eraseIntroductionFeed(deps.db, requestId);
  await eraseConfirmedOutbox(deps.db, requestId);
  const destroyedKeyIds: string[] = [];
  const eventIds: string[] = [];
  for (const partner of [...new Set(introductions.map((intro) => intro.partnerAgency))].sort())
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
