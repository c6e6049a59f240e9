import { createHash } from 'node:crypto';
import { CandidateRefs } from '@passport/agency-service/matching/candidate-refs';

const REQUEST = '6f1c3e0a-2b4d-4e8f-9a1b-3c5d7e9f0a12';
const OTHER_REQUEST = '0a000000-0000-4000-8000-000000000001';
const SECRET_A = 'first-agency-secret-0123456789-abcdef';
const SECRET_B = 'second-agency-secret-0123456789-abcdef';

describe('candidate refs', () => {
  it('are stable for one company on one request, and fit the contract', () => {
    const refs = new CandidateRefs('accio', SECRET_A);
    const ref = refs.refFor(REQUEST, 'company-4711');
    expect(new CandidateRefs('accio', SECRET_A).refFor(REQUEST, 'company-4711')).toBe(ref);
    expect(ref).toMatch(/^accio-[0-9a-f]{32}$/);
    expect(refs.refFor(REQUEST, 'company-4712')).not.toBe(ref);
  });

  it('differ between requests, so a partner cannot link one company across requests', () => {
    const refs = new CandidateRefs('accio', SECRET_A);
    expect(refs.refFor(OTHER_REQUEST, 'company-4711')).not.toBe(refs.refFor(REQUEST, 'company-4711'));
  });

  it('differ between agencies with different secrets for the same ids', () => {
    const a = new CandidateRefs('accio', SECRET_A).refFor(REQUEST, 'company-4711');
    const b = new CandidateRefs('accio', SECRET_B).refFor(REQUEST, 'company-4711');
    expect(a.slice('accio-'.length)).not.toBe(b.slice('accio-'.length));
  });

  it('cannot be recomputed from the ids alone, as the old unkeyed hash could', () => {
    const ref = new CandidateRefs('accio', SECRET_A).refFor(REQUEST, 'company-4711');
    const mac = ref.slice('accio-'.length);
    const guesses = [`${REQUEST}\ncompany-4711`, 'company-4711', `${REQUEST}company-4711`].map((input) =>
      createHash('sha256').update(input).digest('hex'),
    );
    for (const guess of guesses) expect(guess.startsWith(mac.slice(0, 16))).toBe(false);
  });
});
