import { requestKeyToAnnounce } from '../sealing/announce-key';
import type { CooperationRequested } from '@passport/events';
import { candidateRefsOf } from '../../matching/candidate-refs';
import { toCandidate } from '../../matching/to-candidate';
import { setInboxStatus } from '../../store/inbox';
import { rememberCandidateRef, saveSuggestions } from '../../store/suggestions';
import { emit, type HandlerDeps } from '../deps';

/** How many suggestions staff see in review mode. */
const REVIEW_SUGGESTIONS = 20;

/**
 * Searches the agency's directory for a partner's request. In `review` mode the ranked suggestions wait
 * for staff in the inbox; in `auto` mode the best ones above the threshold go out at once, or
 * "none found" when nothing qualifies, unless the request's deadline has already passed.
 */
export async function answerFromDirectory(event: CooperationRequested, deps: HandlerDeps): Promise<void> {
  const matcher = deps.matcher;
  if (!matcher) return;
  const { profile } = event.payload;
  const { mode, topN, threshold } = matcher.settings;
  const suggestions = matcher.current.search(profile, Math.max(topN, REVIEW_SUGGESTIONS));
  if (mode === 'review') {
    await saveSuggestions(
      deps.db,
      event.requestId,
      suggestions.map((s) => ({ companyId: s.company.companyId, score: s.score, rationale: s.rationale })),
    );
    return;
  }
  // Read late (a consumer back after an outage, a new group replaying the topic), a request whose
  // deadline has passed gets no automatic answer: its home agency has closed it and would refuse one.
  if (profile.deadline.getTime() <= deps.now().getTime()) return;
  const chosen = suggestions.filter((s) => s.score >= threshold).slice(0, topN);
  if (chosen.length === 0) {
    await emit(
      deps,
      event.requestId,
      { type: 'NoCandidatesFound', payload: { reason: 'NO_MATCH', note: null } },
      event.eventId,
    );
  } else {
    const candidates = [];
    for (const suggestion of chosen) {
      const candidateRef = candidateRefsOf(deps).refFor(event.requestId, suggestion.company.companyId);
      await rememberCandidateRef(deps.db, candidateRef, event.requestId, suggestion.company.companyId);
      candidates.push(
        toCandidate(
          suggestion.company,
          { candidateRef, score: suggestion.score, rationale: suggestion.rationale },
          profile.workingLanguages,
        ),
      );
    }
    await emit(
      deps,
      event.requestId,
      {
        type: 'CandidatesProposed',
        payload: {
          candidates,
          note: null,
          introductionKey: await requestKeyToAnnounce(deps, event.requestId, event.source),
        },
      },
      event.eventId,
    );
  }
  await setInboxStatus(deps.db, event.requestId, 'answered', deps.now().getTime());
}
