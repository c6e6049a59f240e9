import { UsageError } from '@passport/errors';
import { parsePosition, type Position } from '@passport/streams';
import type { Values } from './command';

/** `--from`/`--to`: an offset (the same on every partition) or an ISO 8601 time; absent → undefined. */
export function positionOption(values: Values, name: string): Position | undefined {
  const text = values[name];
  if (typeof text !== 'string') return undefined;
  const parsed = parsePosition(text);
  if (!parsed) throw new UsageError(`--${name} must be an offset or an ISO 8601 time, got ${text}`);
  return parsed;
}
