import { isPassportError } from '@passport/errors';
import { fromKafkaMessage, type EventCodec, type EventTopic, type PassportEvent } from '@passport/events';
import type { RangeMessage } from './read-range';

/** A message read back: its event when it decodes, otherwise why not (admins look at poison too). */
export type DecodedMessage = RangeMessage &
  (
    | { event: PassportEvent; error?: undefined }
    | { event?: undefined; error: { code: string; message: string } }
  );

export async function decodeMessage(
  codec: EventCodec,
  logical: EventTopic | undefined,
  message: RangeMessage,
): Promise<DecodedMessage> {
  if (!logical)
    return {
      ...message,
      error: { code: 'NOT_AN_EVENT_TOPIC', message: `${message.topic} carries no events of the contract` },
    };
  try {
    const { event } = await fromKafkaMessage(codec, logical, {
      value: message.value,
      headers: message.headers,
    });
    return { ...message, event };
  } catch (error) {
    if (isPassportError(error) && error.retriable) throw error;
    const code = isPassportError(error) ? error.code : 'UNEXPECTED';
    return { ...message, error: { code, message: (error as Error).message } };
  }
}
