import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgencies } from '@passport/config';
import { parseAllDocuments } from 'yaml';
import { describeAcl, aclsForAgency, principalOf } from '@passport/infra/topology/acls';
import { topicDeclarations } from '@passport/infra/topology/topics';
import { strimziSchemaProblems } from '@passport/infra/manifests/crd-schemas';
import { manifestFiles, renderManifestFile, STRIMZI_DIR } from '@passport/infra/manifests/manifest-files';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function checkedIn(name: string): Json[] {
  const text = readFileSync(join(STRIMZI_DIR, name), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJSON() as Json);
}

/** Strimzi's `IdempotentWrite` / `transactionalId` back to kafkajs' names, as describeAcl prints them. */
const kafkaName = (strimzi: string) => strimzi.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** A KafkaUser's rules in describeAcl's text form, one line per operation. */
function describedRules(user: Json): string[] {
  const rules = (user.spec.authorization?.acls ?? []) as Json[];
  return rules.flatMap((rule) =>
    (rule.operations as string[]).map((operation) => {
      const pattern = rule.resource.patternType === 'prefix' ? '*' : '';
      return `User:${user.metadata.name} ${kafkaName(rule.type)} ${kafkaName(operation)} ${kafkaName(rule.resource.type)}:${rule.resource.name}${pattern} from ${rule.host}`;
    }),
  );
}

describe('the Strimzi manifests', () => {
  const agencies = loadAgencies();
  const files = manifestFiles(agencies);

  it.each(files.map((file) => [file.name, file] as const))(
    '%s: every resource is valid for its Strimzi 1.2.0 CRD schema',
    (_name, file) => {
      expect(file.resources.length).toBeGreaterThan(0);
      expect(file.resources.flatMap(strimziSchemaProblems)).toEqual([]);
    },
  );

  it('refuses resources the API server would refuse, so the check above can fail', () => {
    const [kafka, pool] = structuredClone(files[0]!.resources) as Json[];
    kafka!.spec.kafka.listeners[0].type = 'public';
    kafka!.spec.kafka.listeners[1].tsl = true;
    delete pool!.spec.roles;
    delete pool!.metadata.labels;
    const user = structuredClone(files[2]!.resources[1]) as Json;
    user.apiVersion = 'kafka.strimzi.io/v1beta2';
    user.spec.authorization.acls[0].operations = ['Read', 'Obey'];
    const problems = [kafka, pool, user].flatMap((resource) => strimziSchemaProblems(resource!));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Kafka passport: \/spec\/kafka\/listeners\/0\/type must be equal to one of/),
        expect.stringMatching(/listeners\/1 must NOT have additional properties \(tsl\)/),
        expect.stringMatching(/^KafkaNodePool dual-role: \/spec must have required property 'roles'/),
        'KafkaNodePool dual-role: label strimzi.io/cluster must name its Kafka cluster',
        'KafkaUser bwi: apiVersion must be kafka.strimzi.io/v1',
        expect.stringMatching(/^KafkaUser bwi: \/spec\/authorization\/acls\/0\/operations\/1 must be equal/),
      ]),
    );
    expect(strimziSchemaProblems({ ...user, kind: 'KafkaBridge' })).toEqual([
      'KafkaBridge bwi: no Strimzi CRD schema for kind KafkaBridge',
    ]);
  });

  it.each(files.map((file) => [file.name, file] as const))(
    '%s is committed as generated (run `npm run manifests` after changing topics, ACLs or agencies)',
    (name, file) => {
      expect(readFileSync(join(STRIMZI_DIR, name), 'utf8')).toBe(renderManifestFile(file));
    },
  );

  it('declares a three-node KRaft cluster of combined nodes, TLS listeners only, admin as the super user', () => {
    const [kafka, pool] = checkedIn('kafka.yaml');
    expect(kafka!.spec.kafka.listeners.map((l: Json) => [l.name, l.tls, l.authentication.type])).toEqual([
      ['scram', true, 'scram-sha-512'],
      ['mtls', true, 'tls'],
    ]);
    expect(kafka!.spec.kafka.authorization).toEqual({ type: 'simple', superUsers: ['admin'] });
    expect(pool!.spec).toMatchObject({ replicas: 3, roles: ['controller', 'broker'] });
    expect(pool!.metadata.labels['strimzi.io/cluster']).toBe(kafka!.metadata.name);
  });

  it('has one KafkaTopic per declared topic, with its partitions and configuration', () => {
    const topics = checkedIn('topics.yaml');
    const declared = topicDeclarations(agencies);
    expect(topics.map((t) => t.metadata.name)).toEqual(declared.map((t) => t.name));
    expect(topics.map((t) => t.metadata.name)).toEqual(
      expect.arrayContaining(['passport.key-rotations.v1', 'passport.dead-letter.promos.v1']),
    );
    for (const [index, topic] of topics.entries()) {
      const declaration = declared[index]!;
      expect(topic.spec).toEqual({
        partitions: declaration.partitions,
        replicas: 3,
        config: {
          'retention.ms': declaration.retentionMs,
          'cleanup.policy': declaration.cleanupPolicy,
          'min.insync.replicas': 2,
          ...(declaration.maxMessageBytes ? { 'max.message.bytes': declaration.maxMessageBytes } : {}),
        },
      });
    }
  });

  it.each(agencies.map((agency) => [agency.id, agency] as const))(
    'gives %s exactly the ACLs of the declaration, and only to its own principal',
    (id, agency) => {
      const user = checkedIn('users.yaml').find((u) => u.metadata.name === id)!;
      expect(user.spec.authentication).toEqual({ type: 'scram-sha-512' });
      expect(`User:${user.metadata.name}`).toBe(principalOf(id));
      const granted = describedRules(user);
      expect(granted.sort()).toEqual(aclsForAgency(agency).map(describeAcl).sort());
      const otherDeadLetters = agencies
        .filter((a) => a.id !== id)
        .map((a) => `passport.dead-letter.${a.id}.v1`);
      expect(granted.filter((line) => otherDeadLetters.some((topic) => line.includes(topic)))).toEqual([]);
      expect(granted.filter((line) => / (CLUSTER|TRANSACTIONAL_ID):/.test(line))).toEqual([]);
    },
  );

  it('gives an agency declared with kafkaAuthentication tls a certificate user for the mTLS listener, same ACLs', () => {
    const [first, ...others] = agencies;
    const moved = manifestFiles([{ ...first!, kafkaAuthentication: 'tls' }, ...others]);
    const users = moved[2]!.resources as Json[];
    const user = (name: string) => users.find((u) => u.metadata.name === name)!;
    expect(user(first!.id).spec.authentication).toEqual({ type: 'tls' });
    expect(user(others[0]!.id).spec.authentication).toEqual({ type: 'scram-sha-512' });
    expect(user(first!.id).spec.authorization).toEqual(
      (files[2]!.resources as Json[])[1]!.spec.authorization,
    );
    expect(users.flatMap(strimziSchemaProblems)).toEqual([]);
    const listeners = (moved[0]!.resources[0] as Json).spec.kafka.listeners as Json[];
    expect(listeners.map((l) => l.authentication.type)).toEqual(['scram-sha-512', 'tls']);
  });

  it('has a KafkaUser for the admin and each agency, nobody else; the admin needs no ACLs', () => {
    const users = checkedIn('users.yaml');
    expect(users.map((u) => u.metadata.name)).toEqual(['admin', ...agencies.map((a) => a.id)]);
    expect(users[0]!.spec.authorization).toBeUndefined();
  });
});
