import type { OutboxConfirmation } from '@passport/agency-service/store/outbox-confirmation';

export interface Segment {
  mode: OutboxConfirmation;
  requests: number;
}

/**
 * The end-to-end run's segments: `rounds` turns of one block of each mode, echo then ack, then ack
 * then echo, and so on (ABBA); consecutive blocks of one mode share a segment (one service start).
 * Each mode totals `requests`. Four rounds: echo, ack ×2, echo ×2, ack ×2, echo.
 */
export function confirmationSegments(requests: number, rounds: number): Segment[] {
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`BENCH_E2E_ROUNDS must be a whole number ≥ 1, not ${rounds}`);
  const blocks = Array.from({ length: rounds }, (_, turn) =>
    turn % 2 === 0 ? (['echo', 'ack'] as const) : (['ack', 'echo'] as const),
  ).flat();
  const segments: Segment[] = [];
  const left = { echo: requests, ack: requests };
  blocks.forEach((mode, index) => {
    const share = Math.ceil(left[mode] / (rounds - Math.floor(index / 2)));
    left[mode] -= share;
    const last = segments[segments.length - 1];
    if (last?.mode === mode) last.requests += share;
    else segments.push({ mode, requests: share });
  });
  return segments;
}
