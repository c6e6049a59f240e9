import { loadAgencies } from '@passport/config';
import { z } from 'zod';

let knownIds: ReadonlySet<string> | undefined;

/** Agency ids from the configured agency list, read once (PASSPORT_AGENCIES_FILE or the shipped list). */
export function knownAgencyIds(): ReadonlySet<string> {
  knownIds ??= new Set(loadAgencies().map((agency) => agency.id));
  return knownIds;
}

export const agencyId = z.string().refine((id) => knownAgencyIds().has(id), {
  error: (issue) => `unknown agency id "${String(issue.input)}"; known: ${[...knownAgencyIds()].join(', ')}`,
});
