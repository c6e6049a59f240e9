import { isPassportError } from '@passport/errors';
import { runKafkaTool } from './run-tool';
import { KAFKA_TOOLS, parseToolInvocation } from './tools';

const USAGE = `Usage: npm run kafka -- <tool> [--as <principal>] [--test | --faults] [tool arguments…]

Runs Kafka's own command-line tools, preconfigured with the bootstrap servers and SASL/SCRAM
credentials of the local cluster (or of KAFKA_BROKERS with PASSPORT_PRINCIPALS_FILE).
  tools: ${Object.keys(KAFKA_TOOLS).join(', ')}
  --as <principal>  use that principal's credentials (admin by default; an agency id such as bwi)
  --test            the cluster of the test run instead of the developer's one
  --faults          the three-node cluster of the broker-fault suite
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
