import { isPassportError } from '@passport/errors';
import { runKafkaTool } from './run-tool';
import { parseScramPasswordArgs, SCRAM_PASSWORD_USAGE, setScramPassword } from './scram-password';
import { KAFKA_TOOLS, parseToolInvocation } from './tools';

const USAGE = `Usage: npm run kafka -- <tool> [--as <principal>] [--test | --faults] [tool arguments…]

Runs Kafka's own command-line tools, preconfigured with the bootstrap servers and SASL/SCRAM
credentials of the local cluster (or of KAFKA_BROKERS with PASSPORT_PRINCIPALS_FILE).
  tools: ${Object.keys(KAFKA_TOOLS).join(', ')}
  --as <principal>  use that principal's credentials (admin by default; an agency id such as bwi)
  --test            the cluster of the test run instead of the developer's one
  --faults          the three-node cluster of the broker-fault suite
A principal's new SCRAM password, from an owner-only file (never on the command line):
  npm run kafka -- ${SCRAM_PASSWORD_USAGE}
Examples:
  npm run kafka -- topics --list --as bwi
  npm run kafka -- consumer-groups --describe --all-groups
  npm run kafka -- metadata-quorum describe --status
  npm run kafka -- console-consumer --topic passport.cooperation-requests.v1 --from-beginning --formatter-property print.key=true`;

const argv = process.argv.slice(2);
if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (argv[0] === 'scram-password') runScramPassword(argv.slice(1));
const invocation = parseToolInvocation(argv);
if ('error' in invocation) {
  process.stderr.write(`kafka: ${invocation.error}\n\n${USAGE}\n`);
  process.exit(2);
}
try {
  const result = runKafkaTool(invocation);
  process.exit(result.status ?? 1);
} catch (error) {
  process.stderr.write(
    `kafka: ${isPassportError(error) ? `${error.message} [${error.code}]` : String(error)}\n`,
  );
  process.exit(1);
}

function runScramPassword(args: string[]): never {
  const invocation = parseScramPasswordArgs(args);
  if ('error' in invocation) {
    process.stderr.write(`kafka: ${invocation.error}\n`);
    process.exit(2);
  }
  try {
    const result = setScramPassword(invocation);
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    if (result.status === 0) {
      process.stdout.write(
        `SCRAM-SHA-512 password of ${invocation.user} replaced; new connections need it now.\n`,
      );
      if (result.localSecretsFile)
        process.stdout.write(`The local cluster's secrets (${result.localSecretsFile}) hold it too.\n`);
    }
    process.exit(result.status ?? 1);
  } catch (error) {
    process.stderr.write(
      `kafka: ${isPassportError(error) ? `${error.message} [${error.code}]` : String(error)}\n`,
    );
    process.exit(1);
  }
}
