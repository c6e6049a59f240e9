import { cryptoBudgetResult } from '../../../bench/crypto-budget';

describe('cryptoBudgetResult', () => {
  it('sets the p50 against the p50 less the signatures on the path, and counts all of them per request', () => {
    const result = cryptoBudgetResult(
      { signUs: 50, verifyUs: 150 },
      { p50Ms: 10, p99Ms: 40, ratePerS: 50, requests: 1000 },
    );
    // 3 signs + 1 verify on the path = 0.3 ms; 3 signs + 6 verifies per request = 1.05 ms.
    expect(result.details.on_path_ms).toBe(0.3);
    expect(result.details.per_request_ms).toBe(1.05);
    expect(result.figure).toBeCloseTo(10 / 9.7, 6);
    expect(result.met).toBe(true);
    expect(result.details.core_share_at_rate).toBeCloseTo(0.0525, 4);
  });

  it('misses the target once the path is mostly signature work', () => {
    const result = cryptoBudgetResult(
      { signUs: 500, verifyUs: 1500 },
      { p50Ms: 4, p99Ms: 8, ratePerS: 50, requests: 10 },
    );
    expect(result.figure).toBeCloseTo(4 / 1, 6);
    expect(result.met).toBe(false);
  });
});
