/**
 * Child process of bench/fanout.ts: the real service (HTTP, Socket.IO with the Redis
 * adapter, in-process workers) alone in its process, so its RSS is its own.
 */
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { startService } from '../server/service';
import { testEnv } from '../tests/helpers/testService';

async function main() {
  // The production tick (50 ms), not the tests' 20 ms. Every bench client connects from this
  // machine's one address, so the per-address connection cap (SOCKETS_PER_ADDRESS) is lifted.
  const config = loadConfig(testEnv(process.env.FANOUT_NAME!, { REALTIME_TICK_MS: '50', LOG_LEVEL: 'error', SOCKETS_PER_ADDRESS: '100000' }));
  const service = await startService(config, createLogger(config.logLevel));
  process.on('message', (command: { type: string }) => {
    if (command.type === 'memory') process.send!({ type: 'memory', rss: process.memoryUsage().rss });
    if (command.type === 'close') void service.close().then(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: service.url });
}

main().catch((err: unknown) => {
  process.stderr.write(`fanout app failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
