import { isPassportError } from '@passport/errors';
import { loadConfig } from './config';
import { startAgencyService } from './service';

/** Entry point: configuration, start, and a clean stop on SIGTERM/SIGINT. Wiring only. */
async function main(): Promise<void> {
  const config = loadConfig();
  const service = await startAgencyService(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${config.agency.id}: ${signal} received, stopping\n`);
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${config.agency.id}: stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const message = isPassportError(error)
    ? `${error.message} [${error.code}]`
    : ((error as Error).stack ?? String(error));
  process.stderr.write(`agency service: ${message}\n`);
  process.exit(1);
});
