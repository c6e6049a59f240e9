import { parseArgs } from 'node:util';
import type { Environment } from '@passport/config';
import { isPassportError, UsageError } from '@passport/errors';
import type { Command } from './command';
import {
  consoleCommand,
  dlqCommand,
  evidenceCommand,
  eraseCommand,
  exportCommand,
  groupsCommand,
  importCommand,
  kpisCommand,
  offsetsCommand,
  replayCommand,
  tailCommand,
  topicsCommand,
  traceCommand,
  verifyCommand,
} from './commands';
import { consoleConfig, offlineConsoleConfig } from './config';
import { ConsoleContext, type ConsoleIo } from './context';
import { visibleOutput, visibleText } from './visible-text';

const COMMANDS: readonly Command[] = [
  topicsCommand,
  groupsCommand,
  tailCommand,
  traceCommand,
  verifyCommand,
  dlqCommand,
  exportCommand,
  importCommand,
  replayCommand,
  offsetsCommand,
  kpisCommand,
  evidenceCommand,
  eraseCommand,
  consoleCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: passport <command> [options]   (passport <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --json. Connection: KAFKA_BROKERS, KAFKA_SASL_*, SCHEMA_REGISTRY_URL, from the',
    'environment over a JSON file named by a leading --config <file> or PASSPORT_CONFIG_FILE (npm run',
    "passport names the local cluster's). PASSPORT_TOPIC_SUFFIX selects a private copy.",
    'tail, trace, verify and import check signatures against TRUST_LIST_FILE.',
  ].join('\n');
}

/**
 * Whatever a command writes passes here, so no partner-controlled control character reaches the
 * admin's terminal raw, whichever command printed it (see visible-text.ts).
 */
function visibleIo(io: ConsoleIo): ConsoleIo {
  return {
    ...io,
    out: (text) => io.out(visibleOutput(text)),
    err: (text) => io.err(visibleOutput(text)),
    ask: (question) => io.ask(visibleOutput(question)),
  };
}

/** Runs one command line; returns the exit code. Errors become one line on stderr. */
export async function runCli(
  argv: readonly string[],
  rawIo: ConsoleIo,
  env: Environment = process.env,
): Promise<number> {
  const io = visibleIo(rawIo);
  const { args, env: withFile } = leadingConfigFile(argv, env);
  env = withFile;
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name ? 0 : 2;
  }
  let context: ConsoleContext | undefined;
  try {
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command ${name}; passport --help lists them`);
    const { values, positionals } = parseCommandLine(command, rest);
    if (values.help) {
      io.out(`${command.summary}\n\nUsage: ${command.usage}`);
      return 0;
    }
    const missing = (command.positionals ?? []).slice(positionals.length);
    if (missing.length)
      throw new UsageError(`${name} needs <${missing.join('> <')}>; passport ${name} --help`);
    const config = command.offline ? offlineConsoleConfig() : consoleConfig(env);
    context = new ConsoleContext(config, io, Boolean(values.json));
    await command.run(context, values, positionals);
    return 0;
  } catch (error) {
    const code = isPassportError(error) ? error.code : 'UNEXPECTED';
    io.err(`passport ${name}: ${oneLine((error as Error).message ?? String(error))} [${code}]`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await context?.close().catch(() => undefined);
  }
}

function parseCommandLine(command: Command, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; passport ${command.name} --help`);
  }
}

const oneLine = (text: string) => visibleText(text.replace(/\s+/g, ' ').trim());

/** `passport --config <file> <command> …`: the file becomes PASSPORT_CONFIG_FILE for this run. */
function leadingConfigFile(
  argv: readonly string[],
  env: Environment,
): { args: readonly string[]; env: Environment } {
  const [first, second] = argv;
  if (first === '--config' && second) {
    return { args: argv.slice(2), env: { ...env, PASSPORT_CONFIG_FILE: second } };
  }
  if (first?.startsWith('--config=')) {
    return { args: argv.slice(1), env: { ...env, PASSPORT_CONFIG_FILE: first.slice('--config='.length) } };
  }
  return { args: argv, env };
}
