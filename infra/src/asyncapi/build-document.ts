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

function cloudEventsHeaders() {
  const text = (description: string, extra: Record<string, unknown> = {}) => ({
    type: 'string',
    description,
    ...extra,
  });
  return {
    type: 'object',
    required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'content-type'],
    properties: {
      ce_specversion: text('CloudEvents spec version.', { const: '1.0' }),
      ce_id: text('Event id, equal to eventId in the value.', { format: 'uuid' }),
      ce_source: text('Emitting agency as a URI reference, /passport/agencies/<id>.'),
      ce_type: text(`Event type, ${NAMESPACE}.<EventType>.v1.`),
      ce_time: text('When the event happened (RFC 3339).', { format: 'date-time' }),
      ce_subject: text('The requestId the event belongs to.', { format: 'uuid' }),
      'content-type': text('Encoding of the value.', { const: CONTENT_TYPE }),
      traceparent: text('W3C Trace Context.', { pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' }),
    },
  };
}

function messages() {
  const named = loadNamedSchemas();
  return Object.fromEntries(
    EVENT_DEFINITIONS.map((definition) => {
      const doc = String(named.get(`${NAMESPACE}.${definition.type}`)?.doc ?? '');
      return [
        definition.type,
        {
          name: definition.type,
          title: definition.type,
          summary: doc,
          contentType: CONTENT_TYPE,
          headers: { $ref: '#/components/schemas/CloudEventsHeaders' },
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
}

function channels(agencies: readonly Agency[], replicas: number) {
  return Object.fromEntries(
    topicDeclarations(agencies).map((topic) => {
      const eventTypes = EVENT_DEFINITIONS.filter((d) => d.topic === topic.name).map((d) => d.type);
      return [
        channelId(topic.name),
        {
          address: topic.name,
          description: `${topic.purpose}${EVENT_TOPICS.includes(topic.name as EventTopic) ? ` Registry subject: ${valueSubject(topic.name)}.` : ' Values are the original bytes of the failed message; error context travels in headers.'}`,
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
  return Object.fromEntries(entries);
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
        'Events between the economic development agencies of the Four Motors for Europe: cooperation requests, candidate replies, reminders of missing replies, introductions and outcomes. Values are Avro in the Confluent wire format; headers follow the CloudEvents Kafka binding in binary mode.',
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
      schemas: { CloudEventsHeaders: cloudEventsHeaders() },
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
