import { confirmationSegments } from '../../../bench/confirmation-segments';

const total = (segments: ReturnType<typeof confirmationSegments>, mode: 'echo' | 'ack') =>
  segments.filter((s) => s.mode === mode).reduce((sum, s) => sum + s.requests, 0);

describe('the end-to-end bench segments, confirmation on (echo) and off (ack)', () => {
  it('alternates ABBA and merges neighbouring blocks of one mode into one service start', () => {
    expect(confirmationSegments(1_000, 4)).toEqual([
      { mode: 'echo', requests: 250 },
      { mode: 'ack', requests: 500 },
      { mode: 'echo', requests: 500 },
      { mode: 'ack', requests: 500 },
      { mode: 'echo', requests: 250 },
    ]);
    expect(confirmationSegments(1_000, 2).map((s) => s.mode)).toEqual(['echo', 'ack', 'echo']);
    expect(confirmationSegments(1_000, 1)).toEqual([
      { mode: 'echo', requests: 1_000 },
      { mode: 'ack', requests: 1_000 },
    ]);
  });

  it.each([
    [1_000, 4],
    [7, 3],
    [10, 4],
    [3, 5],
  ])('gives each mode exactly %i requests over %i rounds', (requests, rounds) => {
    const segments = confirmationSegments(requests, rounds);
    expect(total(segments, 'echo')).toBe(requests);
    expect(total(segments, 'ack')).toBe(requests);
    segments.slice(1).forEach((segment, i) => expect(segment.mode).not.toBe(segments[i]?.mode));
  });

  it('refuses a round count that is not a whole number of at least one', () => {
    expect(() => confirmationSegments(100, 0)).toThrow(/BENCH_E2E_ROUNDS/);
    expect(() => confirmationSegments(100, Number('x'))).toThrow(/BENCH_E2E_ROUNDS/);
  });
});
