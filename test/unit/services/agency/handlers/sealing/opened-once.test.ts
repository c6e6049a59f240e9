import type { HandlerDeps } from '@passport/agency-service/handlers/deps';
import { openedOnce } from '@passport/agency-service/handlers/sealing/open-sealed';

const deps = {} as HandlerDeps;

describe('openedOnce', () => {
  it('opens an event once for judge and apply, and each event on its own', async () => {
    let opens = 0;
    const open = openedOnce(async (event: { id: string }) => `${event.id}#${(opens += 1)}`);
    const first = { id: 'a' };
    expect(await open(first, deps)).toBe('a#1');
    expect(await open(first, deps)).toBe('a#1');
    expect(await open({ id: 'b' }, deps)).toBe('b#2');
  });

  it('keeps no failure, so a retry of the same event opens it again', async () => {
    let attempts = 0;
    const open = openedOnce(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('database busy');
      return 'opened';
    });
    const event = {};
    await expect(open(event, deps)).rejects.toThrow('database busy');
    expect(await open(event, deps)).toBe('opened');
  });
});
