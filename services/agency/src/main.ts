import { isPassportError } from '@passport/errors';
import { loadProcessConfig } from './config';
import { startAgencyService } from './service';

/** Entry point: configuration, start, and a clean stop on SIGTERM/SIGINT. Wiring only. */
async function main(): Promise<void> {
  const config = loadProcessConfig(process.argv.slice(2));
  // Until the service has started there is nothing to stop.
  let stopService: () => Promise<void> = async () => undefined;
  let stopping = false;
  const stop = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${config.agency.id}: ${reason}, stopping\n`);
    stopService().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        process.stderr.write(`${config.agency.id}: stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  // A consumer that cannot be kept running ends the process with a failure, so that the platform's
  // supervisor restarts it whole (see ConsumerSupervisor), rather than leaving it up and not consuming.
  const service = await startAgencyService(config, undefined, {
    onConsumerGaveUp: (error) => stop(`${error.message} [${error.code}]`, 1),
  });
  stopService = () => service.stop();
  process.on('SIGTERM', () => stop('SIGTERM received', 0));
  process.on('SIGINT', () => stop('SIGINT received', 0));
}

main().catch((error: unknown) => {
  const message = isPassportError(error)
    ? `${error.message} [${error.code}]`
    : ((error as Error).stack ?? String(error));
  process.stderr.write(`agency service: ${message}\n`);
  process.exit(1);
});
