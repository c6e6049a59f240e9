import type { NeedsProfile } from '@passport/events';
import { DAY_MS, retentionEnvironment, retentionPolicy } from '@passport/agency-service/retention/policy';
import { cooperationRequestedSample, introductionRequestedSample } from '../fixtures/events';

/** The retention tests' clock: rows written LONG_AGO or RECENTLY, pruned as of NOW, by default ages. */
export const policy = retentionPolicy(retentionEnvironment.parse({}));
export const LONG_AGO = Date.UTC(2030, 0, 1);
/** Past every default bound for rows written LONG_AGO, the longest (dedupe ids) included. */
export const NOW = LONG_AGO + 1_866 * DAY_MS;
export const RECENTLY = NOW - DAY_MS;

/** The firm of the sample introduction: a name and a contact person, what erasure must remove. */
export const firm = {
  name: introductionRequestedSample.payload.firmName,
  contact: { ...introductionRequestedSample.payload.firmContact, role: null, phone: null },
};
export const profile = {
  ...cooperationRequestedSample.payload.profile,
  deadline: new Date(NOW + 30 * DAY_MS),
} as NeedsProfile;

/** The store stamps some rows with Date.now(); this writes them as of `at`. */
export async function asOf<T>(at: number, work: () => Promise<T>): Promise<T> {
  const spy = jest.spyOn(Date, 'now').mockReturnValue(at);
  try {
    return await work();
  } finally {
    spy.mockRestore();
  }
}
