import { ConfigError, UsageError } from '@passport/errors';
import type { Command } from '../command';
import { startWebConsole } from '../web/server';

export const consoleCommand: Command = {
  name: 'console',
  summary:
    'the read-only web console (admin login): topics and lag, live tail, trace, dead letters, KPI charts',
  usage: [
    'passport console [--host <address>] [--port <port>]',
    "  --host  default 127.0.0.1: the console is for the admin's own machine unless told otherwise",
    '  --port  default 18180',
    '  the admin password is PASSPORT_CONSOLE_PASSWORD (at least 12 characters); sessions end after',
    '  PASSPORT_CONSOLE_IDLE_MINUTES unused (30) and PASSPORT_CONSOLE_SESSION_HOURS (8); off loopback the',
    '  cookie is Secure, so serve it behind HTTPS (a TLS-terminating proxy)',
  ].join('\n'),
  options: { host: { type: 'string' }, port: { type: 'string' } },
  async run(context, values) {
    const password = context.config.consolePassword;
    if (!password)
      throw new ConfigError(
        'PASSPORT_CONSOLE_PASSWORD',
        'Environment variable PASSPORT_CONSOLE_PASSWORD must hold the admin password (at least 12 characters).',
      );
    const port = Number(values.port ?? '18180');
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new UsageError(`--port must be a port number, got ${values.port}`);
    const web = await startWebConsole(context, {
      host: (values.host as string | undefined) ?? '127.0.0.1',
      port,
      password,
      sessions: context.config.consoleSessions,
    });
    context.io.err(`console listening on ${web.url} (Ctrl-C stops it)`);
    await new Promise<void>((resolve) =>
      process.once('SIGINT', () => resolve()).once('SIGTERM', () => resolve()),
    );
    await web.close();
  },
};
