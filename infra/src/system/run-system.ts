import { join } from 'node:path';
import { loadAgencies } from '@passport/config';
import { isPassportError } from '@passport/errors';
import { kafkaNodeProcess } from '../kafka/cluster';
import { down, up } from '../lifecycle';
import { localConnection } from '../local-connection';
import { runningPid } from '../processes';
import { paths, profileFromEnvironment } from '../profile';
import { readSecrets } from '../cluster-secrets';
import { spawnAgency, waitUntilReady, type AgencyProcess } from './agency-process';
import { ensureApiKeys, ensureCandidateRefSecrets, sha256Hex } from './api-keys';
import { consoleConfigFile } from './console-config-file';
import { ensureConsolePassword, spawnWebConsole } from './console-process';
import { loadDemoDirectory, seedDemoRequest } from './demo-data';
import { prepareLocalTrust } from './trust-list-file';

const SERVICE_PORT_BASE = Number(process.env.PASSPORT_SERVICE_PORT_BASE ?? 18_101);

/**
 * `npm start`: the whole system on this machine. Broker and registry (provisioned), then one agency
 * service per agency as its own process. Ctrl-C stops the services and whatever of the cluster this
 * run started.
 */
async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const profile = profileFromEnvironment('dev');
  const clusterWasRunning = runningPid(kafkaNodeProcess(profile, 1)) !== undefined;
  await up(profile, log);
  const agencies = loadAgencies();
  const secrets = readSecrets(paths.secrets(profile));
  const keysFile = join(profile.homeDir, 'api-keys.json');
  const keys = ensureApiKeys(
    keysFile,
    agencies.map((a) => a.id),
  );
  const refSecrets = ensureCandidateRefSecrets(
    join(profile.homeDir, 'candidate-ref-secrets.json'),
    agencies.map((a) => a.id),
  );
  // One installation per agency, as each runs its own in reality: <profile home>/agencies/<id>.
  const homeOf = (agencyId: string) => join(profile.homeDir, 'agencies', agencyId);
  const trust = await prepareLocalTrust(
    profile.homeDir,
    agencies.map((a) => a.id),
    { installedKeysOf: (agencyId) => join(homeOf(agencyId), 'keys') },
  );
  log(
    `Agency keys in ${join(profile.homeDir, 'agencies', '<id>', 'keys')}, trust list ${trust.trustListFile}`,
  );
  const services: AgencyProcess[] = agencies.map((agency, index) =>
    spawnAgency({
      home: homeOf(agency.id),
      agencyId: agency.id,
      connection: localConnection(profile, secrets, agency.id),
      port: SERVICE_PORT_BASE + index,
      apiKeyHash: sha256Hex(keys[agency.id] as string),
      candidateRefSecret: refSecrets[agency.id] as string,
      logFile: join(paths.logs(profile), `agency-${agency.id}.log`),
      keysDir: trust.keysDirOf(agency.id),
      trustListFile: trust.trustListFile,
      sqliteFile: join(homeOf(agency.id), 'agency.db'),
      // The demo answers requests from the generated directories on its own; MATCHING_MODE=review to try staff review.
      extraEnv: { MATCHING_MODE: process.env.MATCHING_MODE ?? 'auto' },
    }),
  );
  const passwordFile = join(profile.homeDir, 'console-password');
  const webConsole = spawnWebConsole(
    ensureConsolePassword(passwordFile),
    join(paths.logs(profile), 'console.log'),
    consoleConfigFile(profile),
  );
  let stopping = false;
  const stopAll = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: stopping the agency services…`);
    await Promise.all([...services.map((service) => service.stop()), webConsole.stop()]);
    if (!clusterWasRunning) await down(profile, log);
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll('SIGINT'));
  process.on('SIGTERM', () => void stopAll('SIGTERM'));
  await Promise.all(services.map((service) => waitUntilReady(service)));
  for (const [index, agency] of agencies.entries()) {
    await loadDemoDirectory(services[index] as AgencyProcess, keys[agency.id] as string, agency, log);
  }
  await seedDemoRequest(
    services[0] as AgencyProcess,
    keys[agencies[0]?.id as string] as string,
    agencies,
    log,
  );
  log('\nThe Business Passport exchange is running:');
  for (const service of services)
    log(`  ${service.agencyId.padEnd(7)} ${service.url}   (API docs: ${service.url}/docs)`);
  log(`  console ${webConsole.url}   (admin password: ${passwordFile})`);
  log(`  API keys: ${keysFile} (owner-only)`);
  log(`  Logs:     ${paths.logs(profile)}`);
  log('Press Ctrl-C to stop.');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `start: ${isPassportError(error) ? `${error.message} [${error.code}]` : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
