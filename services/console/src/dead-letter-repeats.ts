import type { DeadLetter } from './dead-letters';

/** Our `dlq_id` is a UUID; a longer header is not ours and names nothing. */
const MAX_DLQ_ID = 64;

/**
 * The agency service names each dead letter with a `dlq_id` header and sends it again, under the same
 * id, when it does not read it back in time: two copies of one dead letter can then sit on the topic.
 * Dead letters from before the header existed have none, and each counts as its own.
 */
export function dlqIdOf(letter: Pick<DeadLetter, 'headers'>): string | undefined {
  const id = letter.headers.dlq_id;
  return id !== undefined && id.length > 0 && id.length <= MAX_DLQ_ID ? id : undefined;
}

/**
 * For each letter that repeats one before it in the list (same agency and `dlq_id`), the id of that
 * first copy, by the repeat's own id; `idOf` names a letter as the console does.
 */
export function repeatsIn(
  letters: readonly DeadLetter[],
  idOf: (letter: DeadLetter) => string,
): Map<string, string> {
  const first = new Map<string, string>();
  const repeats = new Map<string, string>();
  for (const letter of letters) {
    const dlqId = dlqIdOf(letter);
    if (dlqId === undefined) continue;
    const key = `${letter.agency} ${dlqId}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, idOf(letter));
    else repeats.set(idOf(letter), earlier);
  }
  return repeats;
}
