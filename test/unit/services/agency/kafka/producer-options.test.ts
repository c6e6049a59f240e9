import { PRODUCER_OPTIONS } from '@passport/agency-service/kafka/producer-options';

// Why each setting is what it is: services/agency/src/kafka/producer-options.ts (issue 14's drill).
describe('the agency producer settings', () => {
  it('leave every retry to the outbox relay, so a multi-broker batch never half succeeds in silence', () => {
    expect(PRODUCER_OPTIONS.retry?.retries).toBe(0);
  });

  it('carry no producer sequence that a failed request could put out of step with the broker', () => {
    expect(PRODUCER_OPTIONS.idempotent).toBe(false);
    expect(PRODUCER_OPTIONS.transactionalId).toBeUndefined();
  });

  it('keep one request per broker in flight, so a resent round cannot overtake the rows before it', () => {
    expect(PRODUCER_OPTIONS.maxInFlightRequests).toBe(1);
    expect(PRODUCER_OPTIONS.createPartitioner).toBeDefined();
  });

  it('cannot be changed by a caller at run time', () => {
    expect(Object.isFrozen(PRODUCER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(PRODUCER_OPTIONS.retry)).toBe(true);
  });
});
