import type { OutcomeReported } from '@passport/events';
import type { Database } from '../db/database';

export async function insertOutcome(tx: Database, event: OutcomeReported): Promise<void> {
  const { candidateRef, outcome, agreementType, summary } = event.payload;
  await tx.execute(
    'INSERT INTO outcomes (event_id, request_id, source, candidate_ref, outcome, agreement_type, summary, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    [
      event.eventId,
      event.requestId,
      event.source,
      candidateRef,
      outcome,
      agreementType,
      summary,
      event.occurredAt.getTime(),
    ],
  );
}

export async function outcomesOf(db: Database, requestId: string) {
  const rows = await db.query<{
    event_id: string;
    source: string;
    candidate_ref: string | null;
    outcome: string;
    agreement_type: string | null;
    summary: string | null;
    occurred_at: number;
  }>('SELECT * FROM outcomes WHERE request_id = ? ORDER BY occurred_at', [requestId]);
  return rows.map((r) => ({
    eventId: r.event_id,
    source: r.source,
    candidateRef: r.candidate_ref,
    outcome: r.outcome,
    agreementType: r.agreement_type,
    summary: r.summary,
    occurredAt: new Date(Number(r.occurred_at)),
  }));
}
