import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, served at /metrics. One registry per service instance. */
export function createMetrics(agencyId: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ agency: agencyId });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    eventsOut: new Counter({
      name: 'passport_events_out_total',
      help: 'Events published from the outbox, by type.',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsIn: new Counter({
      name: 'passport_events_in_total',
      help: 'Events consumed, by type and result (applied, skipped: not ours, duplicate: applied before, forbidden: parked).',
      labelNames: ['type', 'result'],
      registers: [registry],
    }),
    eventsForbidden: new Counter({
      name: 'passport_events_forbidden_total',
      help: 'Events that concern this agency but whose sender may not send them (or not in that state), parked; by type and rule.',
      labelNames: ['type', 'rule'],
      registers: [registry],
    }),
    eventsUnverified: new Counter({
      name: 'passport_events_unverified_total',
      help: 'Records whose sender could not be established (no, unknown, retired or bad signature, signer other than source), parked unread; by refusal code.',
      labelNames: ['code'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'passport_dead_letters_total',
      help: 'Poison messages parked: queued for the dead-letter topic, by source topic and error code.',
      labelNames: ['topic', 'code'],
      registers: [registry],
    }),
    deadLettersBacklog: new Gauge({
      name: 'passport_dead_letters_backlog',
      help: 'Dead letters queued in the database and not yet sent to the dead-letter topic.',
      registers: [registry],
    }),
    deadLettersUnconfirmed: new Gauge({
      name: 'passport_dead_letters_unconfirmed',
      help: 'Dead letters sent at least once that the service has not yet read back from its dead-letter topic.',
      registers: [registry],
    }),
    deadLettersUnconfirmedOldestSeconds: new Gauge({
      name: 'passport_dead_letters_unconfirmed_oldest_seconds',
      help: 'Time since the first send of the oldest dead letter not yet read back; 0 when none.',
      registers: [registry],
    }),
    deadLetterResends: new Counter({
      name: 'passport_dead_letter_resends_total',
      help: 'Dead letters sent again because they were not read back from the dead-letter topic in time.',
      registers: [registry],
    }),
    handlerSeconds: new Histogram({
      name: 'passport_handler_seconds',
      help: 'Time to apply one consumed event, by type.',
      labelNames: ['type'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    outboxBacklog: new Gauge({
      name: 'passport_outbox_backlog',
      help: 'Accepted events not yet published.',
      registers: [registry],
    }),
    outboxQuarantined: new Gauge({
      name: 'passport_outbox_quarantined',
      help: 'Outbox rows set aside because publishing them failed for a reason no retry fixes.',
      registers: [registry],
    }),
    outboxOldestAgeSeconds: new Gauge({
      name: 'passport_outbox_oldest_age_seconds',
      help: 'Age of the oldest unpublished outbox row (quarantined and held rows included); 0 when none.',
      registers: [registry],
    }),
    outboxUnconfirmed: new Gauge({
      name: 'passport_outbox_unconfirmed',
      help: 'Outbox rows sent at least once whose event the service has not yet read back from its topic.',
      registers: [registry],
    }),
    outboxUnconfirmedOldestSeconds: new Gauge({
      name: 'passport_outbox_unconfirmed_oldest_seconds',
      help: 'Time since the first send of the oldest row not yet read back from its topic; 0 when none.',
      registers: [registry],
    }),
    outboxResends: new Counter({
      name: 'passport_outbox_resends_total',
      help: "Outbox rows sent again because their event was not read back from its topic in time (with their request's later rows).",
      registers: [registry],
    }),
    consumerRunning: new Gauge({
      name: 'passport_consumer_running',
      help: '1 while the event consumer is in its group and consuming, 0 otherwise.',
      registers: [registry],
    }),
    consumerRestarts: new Counter({
      name: 'passport_consumer_restarts_total',
      help: 'Consumer restarts after a crash, by who restarted it (kafkajs itself, or the service with a fresh consumer).',
      labelNames: ['by'],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'passport_consumer_lag',
      help: 'Messages behind the high watermark, by topic and partition.',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    retentionPruned: new Counter({
      name: 'passport_retention_pruned_total',
      help: 'Rows the retention job deleted, or whose personal data it erased (own_requests, introductions), by table.',
      labelNames: ['table'],
      registers: [registry],
    }),
    tlsCertificateExpiry: new Gauge({
      name: 'passport_tls_certificate_expiry_timestamp_seconds',
      help: 'End of validity (notAfter, Unix seconds) of a certificate the service relies on: files kafka-ca, kafka-client, registry-ca (the earliest of a bundle); servers kafka-broker, registry-server (as presented, read hourly).',
      labelNames: ['file'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
