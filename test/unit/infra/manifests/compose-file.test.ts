import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { COMPOSE_FILE, composeSchemaProblems, readComposeFile } from '@passport/infra/manifests/compose-file';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AGENCIES = ['bwi', 'aura', 'accio', 'promos'];

/** Placeholder values for every `${VAR:?…}` of the file, so Compose can interpolate it. */
function demoEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  for (const name of [
    'KAFKA_ADMIN_PASSWORD',
    'POSTGRES_PASSWORD',
    'KEYCLOAK_ADMIN_PASSWORD',
    'CONSOLE_PASSWORD',
  ]) {
    env[name] = 'placeholder-not-a-secret';
  }
  for (const agency of AGENCIES.map((id) => id.toUpperCase())) {
    for (const suffix of ['KAFKA_PASSWORD', 'REGISTRY_SECRET', 'CANDIDATE_REF_SECRET', 'API_KEY_HASHES']) {
      env[`${agency}_${suffix}`] = 'placeholder-not-a-secret';
    }
  }
  return env;
}

/** Debian's docker-compose (1.29) parses and checks a file without an engine; CI installs it. */
const composeCli = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
const requireCli = process.env.PASSPORT_REQUIRE_COMPOSE_CLI === '1';

describe('the single-host demo compose file', () => {
  const compose = readComposeFile() as Json;

  it('follows the Compose Specification schema', () => {
    expect(composeSchemaProblems(compose)).toEqual([]);
  });

  it('is refused by the schema when broken, so the check above can fail', () => {
    const broken = structuredClone(compose);
    broken.services.kafka.healthcheck.intervall = '10s';
    broken.services.bwi.depends_on.kafka.condition = 'service_ready';
    expect(composeSchemaProblems(broken)).toEqual(
      expect.arrayContaining([
        '/services/kafka/healthcheck must NOT have additional properties (intervall)',
        expect.stringMatching(/^\/services\/bwi\/depends_on\/kafka\/condition must be equal to one of/),
      ]),
    );
  });

  it('runs four agencies, each with its own configuration file and key volume, after healthy infrastructure', () => {
    for (const id of AGENCIES) {
      const service = compose.services[id];
      expect(service.build.target).toBe('agency');
      expect(service.volumes).toEqual(
        expect.arrayContaining([
          `./demo/agencies/${id}.json:/etc/passport/agency.json:ro`,
          `${id}-keys:/var/lib/passport/keys`,
        ]),
      );
      for (const dependency of ['kafka', 'registry', 'postgres']) {
        expect(service.depends_on[dependency]).toEqual({ condition: 'service_healthy' });
      }
    }
    for (const name of ['kafka', 'postgres', 'keycloak', 'registry']) {
      expect(compose.services[name].healthcheck.test.length).toBeGreaterThan(0);
    }
    expect(compose.services.registry.image).toBe('apicurio/apicurio-registry:3.3.3');
  });

  (composeCli || requireCli ? it : it.skip)('is accepted by `docker-compose config`', () => {
    const result = spawnSync('docker-compose', ['--file', COMPOSE_FILE, 'config', '--quiet'], {
      cwd: dirname(COMPOSE_FILE),
      env: demoEnvironment(),
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
