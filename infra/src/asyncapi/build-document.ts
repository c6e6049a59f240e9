import type { Agency } from '@passport/config';
import { valueSubject } from '@passport/config';
import {
  CONTENT_TYPE,
  EVENT_DEFINITIONS,
  EVENT_TOPICS,
  loadNamedSchemas,
  NAMESPACE,
  topicSchema,
  type EventTopic,
} from '@passport/events';
import { topicDeclarations } from '../topology/topics';
import { deadLetterHeaders, deadLetterMessage, deadLetterOperations } from './dead-letters';
import { exchangeHeaders } from './headers';

/**
 * The AsyncAPI 3.0 description of the exchange, generated from the Avro schemas, the topic declaration
 * and the agency list, so it cannot drift from what runs. Kafka bindings 0.5.0 say where the schema id
 * sits (Confluent wire format in the payload) and how it is looked up (TopicNameStrategy).
 */
const AVRO_FORMAT = 'application/vnd.apache.avro+json;version=1.9.0';
const KAFKA_BINDING = '0.5.0';

// A topic's first version is its plain name; later versions run beside it and keep theirs (`introductionsV2`).
const channelId = (topic: string) =>
  topic
    .replace(/^passport\./, '')
    .replace(/\.v1$/, '')
    .replace(/\.v(\d+)$/, '-v$1')
    .replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());

function messages() {
  const named = loadNamedSchemas();
  const events = Object.fromEntries(
    EVENT_DEFINITIONS.map((definition) => {
      const doc = String(named.get(`${NAMESPACE}.${definition.type}`)?.doc ?? '');
      return [
        definition.type,
        {
          name: definition.type,
          title: definition.type,
          summary: doc,
          contentType: CONTENT_TYPE,
          headers: { $ref: '#/components/schemas/ExchangeHeaders' },
          payload: { schemaFormat: AVRO_FORMAT, schema: topicSchema(definition.topic as EventTopic) },
          correlationId: { location: '$message.header#/ce_subject' },
          bindings: {
            kafka: {
              key: {
                type: 'string',
                format: 'uuid',
                description: 'requestId: one request stays ordered on one partition.',
              },
              schemaIdLocation: 'payload',
              schemaIdPayloadEncoding: 'confluent',
              schemaLookupStrategy: 'TopicNameStrategy',
              bindingVersion: KAFKA_BINDING,
            },
          },
        },
      ];
    }),
  );
  return { ...events, DeadLetter: deadLetterMessage(KAFKA_BINDING) };
}

function channels(agencies: readonly Agency[], replicas: number) {
  return Object.fromEntries(
    topicDeclarations(agencies).map((topic) => {
      const isEventTopic = EVENT_TOPICS.includes(topic.name as EventTopic);
      const types = EVENT_DEFINITIONS.filter((d) => d.topic === topic.name).map((d) => d.type);
      const eventTypes = isEventTopic ? types : ['DeadLetter'];
      return [
        channelId(topic.name),
        {
          address: topic.name,
          description: `${topic.purpose}${isEventTopic ? ` Registry subject: ${valueSubject(topic.name)}.` : ' Values are the original bytes of the failed message; error context travels in headers.'}`,
          messages: Object.fromEntries(
            eventTypes.map((type) => [type, { $ref: `#/components/messages/${type}` }]),
          ),
          bindings: {
            kafka: {
              topic: topic.name,
              partitions: topic.partitions,
              replicas,
              topicConfiguration: {
                'cleanup.policy': [topic.cleanupPolicy],
                'retention.ms': topic.retentionMs,
                ...(topic.maxMessageBytes === undefined
                  ? {}
                  : { 'max.message.bytes': topic.maxMessageBytes }),
              },
              bindingVersion: KAFKA_BINDING,
            },
          },
        },
      ];
    }),
  );
}

/** Per agency: it sends and receives every event type of the exchange topics, and sends dead letters. */
function operations(agencies: readonly Agency[]) {
  const entries: Array<[string, unknown]> = [];
  for (const agency of agencies) {
    for (const topic of EVENT_TOPICS) {
      const channel = channelId(topic);
      const refs = EVENT_DEFINITIONS.filter((d) => d.topic === topic).map((d) => ({
        $ref: `#/channels/${channel}/messages/${d.type}`,
      }));
      for (const action of ['send', 'receive'] as const) {
        entries.push([
          `${agency.id}.${action}.${channel}`,
          {
            action,
            channel: { $ref: `#/channels/${channel}` },
            title: `${agency.name} ${action === 'send' ? 'publishes to' : 'consumes'} ${topic}`,
            messages: refs,
            ...(action === 'receive'
              ? {
                  bindings: {
                    kafka: {
                      groupId: {
                        type: 'string',
                        pattern: `^${agency.id}\\.`,
                        description: `Consumer groups of ${agency.id} are prefixed ${agency.id}.`,
                      },
                      bindingVersion: KAFKA_BINDING,
                    },
                  },
                }
              : {}),
          },
        ]);
      }
    }
  }
  return Object.fromEntries([...entries, ...deadLetterOperations(agencies, channelId)]);
}

export function buildAsyncApiDocument(
  agencies: readonly Agency[],
  options: { version: string; brokers: string; registryUrl: string; replicas: number },
) {
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Business Passport exchange',
      version: options.version,
      description:
        "Events between the economic development agencies of the Four Motors for Europe: cooperation requests, candidate replies, reminders of missing replies, introductions and outcomes. Values are Avro in the Confluent wire format; headers follow the CloudEvents Kafka binding in binary mode. Every record carries passport_signature, its sending agency's Ed25519 signature (DSSE, detached payload) over topic, key, value and CloudEvents headers, verified against the trust list before anything else; refused records are parked on the consumer agency's dead-letter topic.",
    },
    defaultContentType: CONTENT_TYPE,
    servers: {
      local: {
        host: options.brokers,
        protocol: 'kafka',
        description:
          'The local cluster of `npm run infra:up`: SASL/SCRAM-SHA-512 on loopback, one principal per agency.',
        security: [{ $ref: '#/components/securitySchemes/scram' }],
        bindings: {
          kafka: {
            schemaRegistryUrl: options.registryUrl,
            schemaRegistryVendor: 'apicurio',
            bindingVersion: KAFKA_BINDING,
          },
        },
      },
    },
    channels: channels(agencies, options.replicas),
    operations: operations(agencies),
    components: {
      messages: messages(),
      schemas: { ExchangeHeaders: exchangeHeaders(), DeadLetterHeaders: deadLetterHeaders() },
      securitySchemes: {
        scram: {
          type: 'scramSha512',
          description:
            'One SCRAM principal per agency, named by its id; ACLs grant the least the flow needs.',
        },
      },
    },
  };
}
