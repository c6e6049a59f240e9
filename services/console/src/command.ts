import type { ParseArgsConfig } from 'node:util';
import type { ConsoleContext } from './context';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** One CLI command: its help text, its options (node:util parseArgs) and what it does. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  /** Positional arguments the command requires, by name, for the error message. */
  positionals?: string[];
  /** Reads only local files: runs without a cluster, its connection or secrets. */
  offline?: boolean;
  run(context: ConsoleContext, values: Values, positionals: string[]): Promise<void>;
}
