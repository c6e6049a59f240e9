import { Partitioners, type ProducerConfig } from 'kafkajs';

/**
 * The agency producer's settings. They depart from "idempotent producer" on purpose: on a three-node
 * cluster with a broker killed mid-flow (issue 14, test/faults/broker-faults.test.ts), kafkajs 2.2.4
 * both lost events and wedged for good, and both come from its own retry loop (producer/sendMessages.js):
 *
 * - Loss: a batch spanning partitions on several leaders remembers which broker already answered. When
 *   a broker dies, the retry re-reads leadership and skips every broker that answered before, so the
 *   dead broker's partitions, now led by a broker that had answered, are never sent, and the send
 *   resolves as a success. The outbox marks those rows published (tulios/kafkajs#1303).
 * - Wedge: with idempotence, kafkajs rolls a partition's sequence number back when a produce request
 *   fails, even one the broker did write before the connection dropped. The next batch then starts at
 *   a sequence the broker has already seen with other records, the broker answers
 *   OUT_OF_ORDER_SEQUENCE_NUMBER, and kafkajs never fetches a new producer id: every later send fails.
 *
 * So kafkajs retries nothing here (`retries: 0`): a send that fails on any broker rejects as a whole and
 * the outbox relay sends the whole round again, as it always did after a failure. Without idempotence
 * there is no sequence to get out of step. What the broker's idempotence gave, no duplicate on retry,
 * the exchange already has: consumers drop an event id they applied. Order within a partition holds,
 * as `maxInFlightRequests: 1` leaves one request per broker in flight and a round is resent only after
 * its send has failed. Acknowledgement by all in-sync replicas is asked per send (acks -1).
 */
export const PRODUCER_OPTIONS: Readonly<ProducerConfig> = Object.freeze({
  idempotent: false,
  maxInFlightRequests: 1,
  retry: Object.freeze({ retries: 0 }),
  createPartitioner: Partitioners.DefaultPartitioner,
});
