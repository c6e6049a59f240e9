import type { Agency } from '@passport/config';
import type { AgencyKeys, RecordSigner } from '@passport/trust';
import type { Database } from '../db/database';
import type { LiveTrustList } from '../live-trust-list';
import type { CandidateRefs } from '../matching/candidate-refs';
import type { SealingMode } from '../handlers/sealing/sealing-mode';
import type { Matcher } from '../matching/matcher';

/** What the HTTP layer needs from the rest of the service. */
export interface HttpContext {
  db: Database;
  matcher: Matcher;
  candidateRefs: CandidateRefs;
  webhooks: boolean;
  /** SEALED_INTRODUCTIONS; `required` when absent. */
  sealing?: SealingMode;
  agency: Agency;
  apiKeyHashes: readonly string[];
  /** Called after a command commits, so its events are published without waiting for the next poll. */
  afterCommit: () => void;
  readiness: () => Promise<Record<string, { ok: boolean; detail?: string }>>;
  metricsText: () => Promise<{ contentType: string; body: string }>;
  /** The agency's keys and live trust list, for key rotation; absent, the /keys routes are not offered. */
  keys?: { agencyKeys: AgencyKeys; trust: LiveTrustList };
  /** The agency's signing key, for statements of its evidence log's head; without it there are none. */
  evidenceSigner?: RecordSigner;
}
