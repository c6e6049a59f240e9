import { createKafka, createSchemaRegistry } from '@passport/bus';
import { EVENT_TOPICS, EventCodec, REGISTRY_AVRO_OPTIONS } from '@passport/events';
import type { ConsumerStoppedError } from '@passport/errors';
import { logLevel, type logCreator } from 'kafkajs';
import pino, { type Logger } from 'pino';
import type { ServiceConfig } from './config';
import { openDatabase } from './db/open';
import { buildHttpServer } from './http/server';
import { ConsumerSupervisor } from './kafka/consumer-supervisor';
import { DeadLetterRelay } from './kafka/dead-letter-relay';
import { startEventConsumer } from './kafka/event-consumer';
import { OutboxRelay } from './kafka/outbox-relay';
import { PRODUCER_OPTIONS } from './kafka/producer-options';
import { adminReadPastProbe } from './kafka/read-past-probe';
import { CandidateRefs } from './matching/candidate-refs';
import { Matcher } from './matching/matcher';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { DeadlineWatcher } from './deadlines/deadline-watcher';
import { RetentionJob } from './retention/retention-job';
import { createMetrics } from './metrics';
import { CertificateExpiryWatch } from './tls-expiry';
import { readinessProbe } from './readiness';
import { announcedSigner } from './announced-signer';
import { LiveTrustList } from './live-trust-list';
import { checkOwnKeyTrusted, loadAgencyKeys } from './trust';

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

export interface ServiceHooks {
  /** The consumer could not be kept running; main exits non-zero. Without it the service stays unready. */
  onConsumerGaveUp?: (error: ConsumerStoppedError) => void;
}

/** kafkajs speaks through the service's logger, so all output is one JSON log. */
function kafkaLogs(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, namespace, log }) => {
      const { message, ...fields } = log;
      const method =
        level <= logLevel.ERROR
          ? 'error'
          : level === logLevel.WARN
            ? 'warn'
            : level === logLevel.INFO
              ? 'info'
              : 'debug';
      child[method]({ namespace, ...fields }, message);
    };
}

export async function startAgencyService(
  config: ServiceConfig,
  logger: Logger = pino({ level: config.logLevel, base: { agency: config.agency.id } }),
  hooks: ServiceHooks = {},
): Promise<RunningService> {
  // Keys first, and checked before the broker: a service partners could not verify must not publish.
  const keys = await loadAgencyKeys(config.agency.id, config.keysDir);
  if (config.outboxConfirmation === 'ack')
    logger.warn(
      { OUTBOX_CONFIRMATION: 'ack' },
      'OUTBOX_CONFIRMATION=ack: events count as delivered once the broker acknowledges them; an event a broker loses is never sent again (a benchmark baseline only, never for a running exchange)',
    );
  const db = await openDatabase(config);
  // The operators' file, plus every rotation statement applied before this start (migration 12).
  const trustList = await LiveTrustList.load(db, config.trustList, (agencyId, error) =>
    logger.warn(
      { agencyId, err: error },
      'a stored key rotation statement no longer applies to TRUST_LIST_FILE; skipped',
    ),
  );
  try {
    checkOwnKeyTrusted(keys, config.keysDir, trustList.current());
  } catch (error) {
    await db.close();
    throw error;
  }
  const codec = await EventCodec.create(createSchemaRegistry(config.connection, REGISTRY_AVRO_OPTIONS));
  const kafka = createKafka(config.connection, {
    clientId: `${config.agency.id}.service`,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogs(logger),
    retries: 8,
  });
  const producer = kafka.producer(PRODUCER_OPTIONS);
  const admin = kafka.admin();
  const metrics = createMetrics(config.agency.id);
  const certificates = new CertificateExpiryWatch({
    connection: config.connection,
    metrics,
    logger,
    intervalMs: config.certificateCheckMs,
  });
  certificates.start();
  const matcher = new Matcher(config.matching);
  const candidateRefs = new CandidateRefs(config.agency.id, config.candidateRefSecret);
  await matcher.reload(db);
  const relay = new OutboxRelay({
    db,
    producer,
    codec,
    signer: announcedSigner(keys, trustList),
    logger,
    metrics,
    pollMs: config.outboxPollMs,
    confirmTimeoutMs: config.outboxConfirmTimeoutMs,
    confirmation: config.outboxConfirmation,
    echoesReadable: () => consumers.status().ok,
    readPast: adminReadPastProbe(admin, config.consumerGroup, EVENT_TOPICS),
  });
  const deadLetters = new DeadLetterRelay({
    db,
    producer,
    agencyId: config.agency.id,
    logger,
    metrics,
    pollMs: config.outboxPollMs,
    confirmTimeoutMs: config.outboxConfirmTimeoutMs,
    echoesReadable: () => consumers.status().ok,
  });
  const consumers = new ConsumerSupervisor({
    groupId: config.consumerGroup,
    create: () =>
      kafka.consumer({
        groupId: config.consumerGroup,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        maxWaitTimeInMs: config.consumerMaxWaitMs,
      }),
    start: async (consumer) => {
      await Promise.all([producer.connect(), admin.connect()]);
      await consumer.connect();
      await startEventConsumer({
        db,
        agency: config.agency,
        codec,
        trustList,
        consumer,
        logger,
        metrics,
        consumerGroup: config.consumerGroup,
        handlerTimeoutMs: config.handlerTimeoutMs,
        matcher,
        candidateRefs,
        webhooks: config.webhook !== undefined,
        sealing: config.sealing,
        afterApply: () => relay.nudge(),
        afterPark: () => deadLetters.nudge(),
        outboxConfirmation: config.outboxConfirmation,
      });
    },
    logger,
    metrics,
    maxRestarts: config.consumerRestarts.max,
    backoffMs: config.consumerRestarts.backoffMs,
    onGiveUp: (error) => hooks.onConsumerGaveUp?.(error),
  });

  const http = await buildHttpServer(
    {
      db,
      agency: config.agency,
      apiKeyHashes: config.apiKeyHashes,
      matcher,
      candidateRefs,
      webhooks: config.webhook !== undefined,
      sealing: config.sealing,
      afterCommit: () => relay.nudge(),
      readiness: readinessProbe({
        db,
        admin,
        registry: config.connection.registry,
        consumer: () => consumers.status(),
        unconfirmedAlertMs: config.outboxUnconfirmedAlertMs,
      }),
      keys: { agencyKeys: keys, trust: trustList },
      metricsText: async () => ({
        contentType: metrics.registry.contentType,
        body: await metrics.registry.metrics(),
      }),
      evidenceSigner: announcedSigner(keys, trustList),
    },
    logger,
  );
  const url = await http.listen({ host: config.http.host, port: config.http.port });
  relay.start();
  deadLetters.start();
  const dispatcher = config.webhook
    ? new WebhookDispatcher({ db, ...config.webhook, logger, pollMs: 200 })
    : undefined;
  dispatcher?.start();
  const deadlines = new DeadlineWatcher({
    db,
    agency: config.agency,
    logger,
    intervalMs: config.deadlines.checkMs,
    reminderWindowMs: config.deadlines.reminderBeforeMs,
    webhooks: config.webhook !== undefined,
    afterChange: () => relay.nudge(),
  });
  deadlines.start();
  const retention = new RetentionJob({ db, policy: config.retention, logger, metrics });
  retention.start();
  consumers.start();
  logger.info({ url, group: config.consumerGroup }, 'agency service started');

  return {
    url,
    async stop() {
      await http.close();
      // The consumer finishes the batch in hand and commits its offsets before leaving the group.
      await consumers.stop();
      await deadlines.stop();
      await retention.stop();
      certificates.stop();
      await relay.stop();
      await deadLetters.stop();
      await dispatcher?.stop();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      await db.close();
      logger.info('agency service stopped');
    },
  };
}
