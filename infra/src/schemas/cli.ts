import { registryFromEnvironment } from '@passport/config';
import { isPassportError } from '@passport/errors';
import { checkCompatibility } from './check-compatibility';
import { registerSubjects } from './register';
import { releaseChanges } from './released';

const USAGE = `Usage: npm run schemas:<command>
  release   write each changed topic schema as its next version under schemas/released/
  check     prove every subject's history + current schema FULL_TRANSITIVE-compatible (needs SCHEMA_REGISTRY_URL, and the operator's
            SCHEMA_REGISTRY_USERNAME/_PASSWORD and SCHEMA_REGISTRY_CA_FILE for an HTTPS registry)
  register  register all released versions (infra:up does this)`;

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'release': {
      const files = releaseChanges();
      console.log(
        files.length
          ? `Released:\n  ${files.join('\n  ')}`
          : 'Nothing to release: schemas/ matches the latest released versions.',
      );
      return 0;
    }
    case 'check': {
      const results = await checkCompatibility(registryFromEnvironment());
      for (const r of results)
        console.log(
          `${r.problem ? 'INCOMPATIBLE' : 'ok'}  ${r.subject} (${r.versions} versions)${r.problem ? `\n    ${r.problem}` : ''}`,
        );
      return results.some((r) => r.problem) ? 1 : 0;
    }
    case 'register':
      await registerSubjects(registryFromEnvironment(), console.log);
      return 0;
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`schemas: ${isPassportError(error) ? `${error.message} [${error.code}]` : String(error)}`);
    process.exit(1);
  },
);
