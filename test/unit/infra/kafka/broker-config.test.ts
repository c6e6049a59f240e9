import { renderBrokerConfig } from '@passport/infra/kafka/broker-config';
import type { InfraProfile } from '@passport/infra/profile';

const tls = {
  keyStoreFile: '/tmp/p/test/tls/kafka-broker.keystore.pem',
  trustStoreFile: '/tmp/p/test/tls/ca.pem',
};
const secrets = { controller: 'c'.repeat(24), principals: { admin: 'a'.repeat(24), bwi: 'b'.repeat(24) } };

function profile(nodes: 1 | 3): InfraProfile {
  return {
    name: 'test',
    cacheDir: '/tmp/p',
    homeDir: '/tmp/p/test',
    nodes,
    brokerPortBase: 29092,
    registryPort: 28081,
  };
}

function property(config: string, key: string): string | undefined {
  return config
    .split('\n')
    .find((line) => line.startsWith(`${key}=`))
    ?.slice(key.length + 1);
}

describe('renderBrokerConfig', () => {
  it('listens on loopback only, over TLS everywhere, with SCRAM for clients and deny-by-default authorization', () => {
    const config = renderBrokerConfig(profile(1), 1, secrets, tls);
    expect(property(config, 'listeners')).toBe(
      'SASL_SSL://127.0.0.1:29092,CONTROLLER://127.0.0.1:29192,MTLS://127.0.0.1:29292',
    );
    expect(property(config, 'sasl.enabled.mechanisms')).toBe('SCRAM-SHA-512');
    expect(property(config, 'authorizer.class.name')).toBe(
      'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    );
    expect(property(config, 'allow.everyone.if.no.acl.found')).toBe('false');
    expect(property(config, 'super.users')).toBe('User:admin;User:controller');
    expect(property(config, 'auto.create.topics.enable')).toBe('false');
  });

  it('gives a three-node cluster three voters, replication 3 and min.insync.replicas 2', () => {
    const config = renderBrokerConfig(profile(3), 2, secrets, tls);
    expect(property(config, 'node.id')).toBe('2');
    expect(property(config, 'controller.quorum.voters')).toBe(
      '1@127.0.0.1:29192,2@127.0.0.1:29193,3@127.0.0.1:29194',
    );
    expect(property(config, 'advertised.listeners')).toBe(
      'SASL_SSL://127.0.0.1:29093,MTLS://127.0.0.1:29293',
    );
    expect(property(config, 'default.replication.factor')).toBe('3');
    expect(property(config, 'min.insync.replicas')).toBe('2');
    expect(property(config, 'offsets.topic.replication.factor')).toBe('3');
  });

  it('keeps a single node at replication 1', () => {
    const config = renderBrokerConfig(profile(1), 1, secrets, tls);
    expect(property(config, 'default.replication.factor')).toBe('1');
    expect(property(config, 'min.insync.replicas')).toBe('1');
  });

  it('encrypts the client, inter-broker and controller listeners with the PEM key store and CA', () => {
    const config = renderBrokerConfig(profile(3), 1, secrets, tls);
    expect(property(config, 'listener.security.protocol.map')).toBe(
      'SASL_SSL:SASL_SSL,CONTROLLER:SASL_SSL,MTLS:SSL',
    );
    expect(property(config, 'inter.broker.listener.name')).toBe('SASL_SSL');
    expect(config).not.toMatch(/PLAINTEXT/);
    expect(property(config, 'ssl.keystore.type')).toBe('PEM');
    expect(property(config, 'ssl.keystore.location')).toBe(tls.keyStoreFile);
    expect(property(config, 'ssl.truststore.type')).toBe('PEM');
    expect(property(config, 'ssl.truststore.location')).toBe(tls.trustStoreFile);
    expect(property(config, 'ssl.endpoint.identification.algorithm')).toBe('https');
    expect(property(config, 'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config')).toContain('admin');
  });

  it('requires a client certificate on the mTLS listener and takes its common name as the principal', () => {
    const config = renderBrokerConfig(profile(1), 1, secrets, tls);
    expect(property(config, 'listener.name.mtls.ssl.client.auth')).toBe('required');
    expect(property(config, 'ssl.client.auth')).toBeUndefined();
    const rules = property(config, 'ssl.principal.mapping.rules') ?? '';
    const [firstRule] = rules.split(',RULE:');
    const [, pattern, replacement] = /^RULE:([^/]*)\/([^/]*)\/$/.exec(firstRule ?? '') ?? [];
    expect(
      'CN=bwi,O=Business Passport exchange'.replace(new RegExp(pattern ?? '^$'), replacement ?? ''),
    ).toBe('bwi');
    expect(rules.endsWith(',DEFAULT')).toBe(true);
  });

  it('leaves the mTLS listener out of a container, which publishes one port', () => {
    const container = { listenHost: '0.0.0.0', advertisedPort: 41000, logDir: '/tmp/kafka-data' };
    const config = renderBrokerConfig(profile(1), 1, secrets, tls, container);
    expect(property(config, 'listeners')).toBe('SASL_SSL://0.0.0.0:29092,CONTROLLER://127.0.0.1:29192');
    expect(property(config, 'advertised.listeners')).toBe('SASL_SSL://127.0.0.1:41000');
  });
});
