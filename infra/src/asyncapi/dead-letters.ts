import { deadLetterTopicOf, type Agency } from '@passport/config';

const text = (description: string, extra: Record<string, unknown> = {}) => ({
  type: 'string',
  description,
  ...extra,
});

/**
 * A dead letter keeps the original record's headers untouched (its signature still verifies against
 * the original topic) and adds the context an admin needs to judge and redrive it.
 */
export function deadLetterHeaders() {
  return {
    type: 'object',
    description:
      'Every header of the failed record, unchanged (CloudEvents headers and passport_signature included), plus the dlq_* context below.',
    required: [
      'dlq_id',
      'dlq_error_code',
      'dlq_original_topic',
      'dlq_original_partition',
      'dlq_original_offset',
      'dlq_consumer_group',
      'dlq_failed_at',
    ],
    properties: {
      dlq_id: text('Names this dead letter; a copy sent again after a lost send has the same id.', {
        format: 'uuid',
      }),
      dlq_error_code: text('Stable error code of the refusal (PASSPORT_…), e.g. PASSPORT_SIGNATURE_MISSING.'),
      dlq_error_message: text('What was wrong, naming fields and rules, never values.', { maxLength: 500 }),
      dlq_error_path: text('The field the error is about, when there is one.', { maxLength: 500 }),
      dlq_original_topic: text('Topic the record was read from.'),
      dlq_original_partition: text('Its partition, as decimal text.', { pattern: '^\\d+$' }),
      dlq_original_offset: text('Its offset, as decimal text.', { pattern: '^\\d+$' }),
      dlq_consumer_group: text('The consumer group that refused it, <agency>.<purpose>.'),
      dlq_failed_at: text('When it was refused (RFC 3339).', { format: 'date-time' }),
      dlq_truncated: text(
        'Present only when key, value or headers were cut to fit the topic; names each part and its size before.',
      ),
    },
    additionalProperties: true,
  };
}

/** What sits on every agency's dead-letter topic: the failed record's bytes and headers, plus context. */
export function deadLetterMessage(bindingVersion: string) {
  return {
    name: 'DeadLetter',
    title: 'DeadLetter',
    summary:
      'A record an agency consumer refused (undecodable, invalid, forbidden, or its signature refused), parked with its original key, value and headers and the reason.',
    headers: { $ref: '#/components/schemas/DeadLetterHeaders' },
    payload: {
      type: 'string',
      format: 'binary',
      description: 'The original value bytes, untouched unless dlq_truncated says otherwise.',
    },
    bindings: { kafka: { key: { type: 'string', description: 'The original key bytes.' }, bindingVersion } },
  };
}

/** Each agency parks what its consumers refuse on its own dead-letter topic, which only it (and the admin) writes. */
export function deadLetterOperations(
  agencies: readonly Agency[],
  channelId: (topic: string) => string,
): Array<[string, unknown]> {
  return agencies.map((agency) => {
    const topic = deadLetterTopicOf(agency.id);
    const channel = channelId(topic);
    return [
      `${agency.id}.send.${channel}`,
      {
        action: 'send',
        channel: { $ref: `#/channels/${channel}` },
        title: `${agency.name} parks the records its consumers refuse on ${topic}`,
        messages: [{ $ref: `#/channels/${channel}/messages/DeadLetter` }],
      },
    ];
  });
}
