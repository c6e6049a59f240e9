import { parsePosition } from '@passport/streams';

describe('parsePosition', () => {
  it('reads digits as an offset and anything else as an ISO 8601 time', () => {
    expect(parsePosition('42')).toEqual({ offset: 42n });
    expect(parsePosition('2026-03-01T00:00:00Z')).toEqual({ time: new Date('2026-03-01T00:00:00Z') });
    expect(parsePosition('yesterday-ish')).toBeUndefined();
  });
});
