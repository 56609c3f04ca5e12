import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createKnex, ensureDatabase } from './knex';
import { runMigrations } from './migrate';
import { seedDemoGames } from './seed';

/** `npm run migrate` and `npm run seed`. */
async function main(command: string | undefined) {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  await ensureDatabase(config.mysql).catch(() => undefined);
  const knex = createKnex(config.mysql);
  try {
    const applied = await runMigrations(knex, logger);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database is up to date');
    if (command === 'seed') logger.info({ added: await seedDemoGames(knex) }, 'demo games seeded');
  } finally {
    await knex.destroy();
  }
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
