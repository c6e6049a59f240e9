import { createHmac } from 'node:crypto';

/** 128 bits of the MAC: collisions stay out of reach and the ref fits the contract's 64 characters. */
const REF_HEX_CHARS = 32;

/**
 * The handle partners see for a company proposed on a request. A keyed hash (HMAC-SHA256 with the
 * agency's CANDIDATE_REF_SECRET) of the request and the company: partners know the request id and could
 * guess company ids, so an unkeyed hash would let them test guesses and re-identify anonymous candidates.
 * The request is part of the input so that one company's refs on different requests cannot be linked;
 * on one request the same company always gets the same ref (a suggestion approved twice, a replay).
 */
export class CandidateRefs {
  readonly #secret: string;

  constructor(
    private readonly agencyId: string,
    secret: string,
  ) {
    this.#secret = secret;
  }

  refFor(requestId: string, companyId: string): string {
    const mac = createHmac('sha256', this.#secret).update(`${requestId}\n${companyId}`, 'utf8').digest('hex');
    return `${this.agencyId}-${mac.slice(0, REF_HEX_CHARS)}`;
  }
}

/** Handlers that propose companies need the agency's refs; wiring them in is the service's job. */
export function candidateRefsOf(deps: { readonly candidateRefs?: CandidateRefs }): CandidateRefs {
  if (!deps.candidateRefs) throw new Error('candidate refs are not wired into these handler deps');
  return deps.candidateRefs;
}
