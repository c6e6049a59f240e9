import { newEventId, validateOutgoing } from '@passport/events';
import { outcomeReportedSample } from '../../../fixtures/events';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newEventId', () => {
  it('makes version-7 UUIDs whose first 48 bits are the milliseconds given', () => {
    const at = Date.UTC(2026, 10, 26, 12, 0, 0, 123);
    const id = newEventId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts later ids after earlier ones, as text', () => {
    const ids = [0, 1, 2, 1_000, 86_400_000].map((delta) => newEventId(1_790_000_000_000 + delta));
    expect([...ids].sort()).toEqual(ids);
  });

  it('does not repeat within one millisecond', () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => newEventId(1_790_000_000_000)));
    expect(ids.size).toBe(5_000);
  });

  it('is an event id the contract accepts', () => {
    const eventId = newEventId();
    expect(validateOutgoing({ ...outcomeReportedSample, eventId }).eventId).toBe(eventId);
  });
});
