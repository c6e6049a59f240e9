import { UsageError } from '@passport/errors';
import type { ConsoleContext } from './context';

/**
 * Asks `[y/N]` before a change to a group's offsets. Without a terminal nobody can answer, so only
 * `--yes` lets it through; a script never changes positions by default.
 */
export async function confirmChange(
  context: ConsoleContext,
  yes: unknown,
  change: string,
  question: string,
): Promise<boolean> {
  if (yes) return true;
  if (!context.io.isTTY) throw new UsageError(`not a terminal: pass --yes to ${change} without asking`);
  const answer = await context.io.ask(`${question} [y/N] `);
  if (/^y(es)?$/i.test(answer.trim())) return true;
  context.io.err('nothing changed');
  return false;
}
