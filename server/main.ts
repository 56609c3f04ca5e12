import { loadConfig } from './config';
import { createLogger } from './logger';
import { startService } from './service';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const service = await startService(config, logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), config.shutdownGraceMs + 5000);
      force.unref();
      service.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Meeple Queue failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
