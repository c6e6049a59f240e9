import { renderBrokerConfig } from '@passport/infra/kafka/broker-config';
import type { InfraProfile } from '@passport/infra/profile';

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
  it('listens on loopback only, with SCRAM for clients and deny-by-default authorization', () => {
    const config = renderBrokerConfig(profile(1), 1, secrets);
    expect(property(config, 'listeners')).toBe(
      'SASL_PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29192',
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
    const config = renderBrokerConfig(profile(3), 2, secrets);
    expect(property(config, 'node.id')).toBe('2');
    expect(property(config, 'controller.quorum.voters')).toBe(
      '1@127.0.0.1:29192,2@127.0.0.1:29193,3@127.0.0.1:29194',
    );
    expect(property(config, 'advertised.listeners')).toBe('SASL_PLAINTEXT://127.0.0.1:29093');
    expect(property(config, 'default.replication.factor')).toBe('3');
    expect(property(config, 'min.insync.replicas')).toBe('2');
    expect(property(config, 'offsets.topic.replication.factor')).toBe('3');
  });

  it('keeps a single node at replication 1', () => {
    const config = renderBrokerConfig(profile(1), 1, secrets);
    expect(property(config, 'default.replication.factor')).toBe('1');
    expect(property(config, 'min.insync.replicas')).toBe('1');
  });
});
