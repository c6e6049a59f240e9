import { ConfigError } from '@passport/errors';
import type { z } from 'zod';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Parses environment variables with a zod object whose keys are the variable names, and freezes the
 * result. The first problem found becomes a ConfigError naming the variable, so a bad deployment stops
 * at start with a message an operator can act on.
 */
export function parseEnvironment<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  env: Environment = process.env,
): Readonly<z.infer<z.ZodObject<Shape>>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    // The value itself is never echoed: passwords, keys and URLs with credentials end up in logs and
    // terminals, and the variable's name with the rule it broke is enough to fix it.
    const state = env[variable] === undefined ? 'it is not set' : 'its value is not shown';
    throw new ConfigError(
      variable,
      `Environment variable ${variable} is invalid: ${issue?.message} (${state}).`,
      {
        cause: result.error,
      },
    );
  }
  return Object.freeze(result.data);
}
