import { isPassportError } from '@passport/errors';
import { down, install, reset, up } from './lifecycle';
import {
  profileFromEnvironment,
  registryUrl,
  bootstrapServers,
  mtlsBootstrapServers,
  paths,
  type ProfileName,
} from './profile';
import { caCertificateFile } from './tls/local-ca';
import { collectStatus, renderStatus } from './status';

const USAGE = `Usage: npm run infra:<command> [-- --test | --faults] [-- --json]

  install   fetch Kafka and Apicurio Registry from Maven Central into .passport/ (no start)
  up        install if needed, start broker(s) and registry, provision topics and ACLs
  status    what runs, ports, principals, topics, ACLs, registry subjects (--json for scripts)
  down      stop the processes this project started
  reset     down, then delete the local data, logs and generated passwords

  --test    act on the cluster the test run uses instead of the developer's one
  --faults  act on the three-node cluster of the broker-fault suite
Environment: KAFKA_NODES=1|3, PASSPORT_KAFKA_PORT, PASSPORT_REGISTRY_PORT, PASSPORT_CACHE_DIR,
             PASSPORT_REGISTRY_DATABASE_URL (jdbc:postgresql://… to keep schemas in PostgreSQL),
             PASSPORT_FAULTS_KAFKA_PORT, PASSPORT_FAULTS_REGISTRY_PORT (the fault suite's cluster)`;

function profileName(flags: readonly string[]): ProfileName {
  if (flags.includes('--faults')) return 'faults';
  return flags.includes('--test') ? 'test' : 'dev';
}

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  const json = flags.includes('--json');
  const profile = profileFromEnvironment(profileName(flags));
  const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  switch (command) {
    case 'install':
      await install(profile, log);
      log('Kafka and the schema registry are installed.');
      return 0;
    case 'up': {
      const started = Date.now();
      await up(profile, log);
      log(`\nUp in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      log(`  Kafka:    ${bootstrapServers(profile).join(',')} (SASL_SSL, SCRAM-SHA-512)`);
      log(`  mTLS:     ${mtlsBootstrapServers(profile).join(',')} (client certificate, CN = principal)`);
      log(`  CA:       ${caCertificateFile(profile)} (KAFKA_SSL_CA_FILE)`);
      log(`  Registry: ${registryUrl(profile)}`);
      log(`  Passwords: ${paths.secrets(profile)} (owner-only; never printed)`);
      return 0;
    }
    case 'status': {
      const status = await collectStatus(profile);
      process.stdout.write(json ? `${JSON.stringify(status, null, 2)}\n` : `${renderStatus(status)}\n`);
      return 0;
    }
    case 'down':
      await down(profile, log);
      log('Nothing of ours is running.');
      return 0;
    case 'reset':
      await reset(profile, log);
      return 0;
    default:
      process.stderr.write(`${command ? `Unknown command "${command}".\n\n` : ''}${USAGE}\n`);
      return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = isPassportError(error)
      ? `${error.message} [${error.code}]`
      : ((error as Error).stack ?? String(error));
    process.stderr.write(`infra: ${message}\n`);
    process.exit(1);
  },
);
