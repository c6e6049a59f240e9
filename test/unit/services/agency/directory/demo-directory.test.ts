import { loadAgencies } from '@passport/config';
import { candidate } from '@passport/events';
import { generateDemoDirectory } from '@passport/infra/system/demo-directory';
import { validateDirectoryFile } from '@passport/agency-service/directory/import';
import { toCandidate } from '@passport/agency-service/matching/to-candidate';

/** `npm start` loads these through the import API; a refused demo row would shrink the demo silently. */
describe('the demo directory', () => {
  it.each(loadAgencies().map((agency) => [agency.id, agency] as const))(
    'of %s passes the import and every company makes a valid candidate',
    (_id, agency) => {
      const { accepted, rejected } = validateDirectoryFile(
        JSON.stringify(generateDemoDirectory(agency, 2000)),
        'json',
      );
      expect(rejected).toEqual([]);
      expect(accepted).toHaveLength(2000);
      const invalid = accepted
        .map(({ company }) =>
          candidate.safeParse(
            toCandidate(company, { candidateRef: 'demo-1', score: 0.5, rationale: '' }, agency.languages),
          ),
        )
        .filter((result) => !result.success);
      expect(invalid).toEqual([]);
    },
  );
});
