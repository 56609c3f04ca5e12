import type { Knex } from 'knex';
import { migrations } from '../../migrations';
import type { Logger } from '../logger';

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`Unknown migration ${name}`);
    return migration;
  },
};

const LOCK_NAME = 'meeple_queue_migrations';
const MIGRATIONS_TABLE = 'knex_migrations';

/**
 * Migrations the database records but this release does not know. Names start with a UTC
 * timestamp, so name order is release order. Those newer than this release's newest one come
 * from a newer release that was rolled back: its migrations only expand the schema
 * (docs/DEPLOY.md, "Migrations and rollbacks"), so this release runs on it. One at or before
 * the newest known is not a rollback (a removed migration or another branch): that is refused.
 */
export async function unknownMigrations(knex: Knex): Promise<{ newer: string[]; older: string[] }> {
  if (!(await knex.schema.hasTable(MIGRATIONS_TABLE))) return { newer: [], older: [] };
  const recorded = (await knex(MIGRATIONS_TABLE).pluck('name')) as string[];
  const known = Object.keys(migrations).sort();
  const newestKnown = known[known.length - 1] ?? '';
  const unknown = recorded.filter((name) => !(name in migrations)).sort();
  return { newer: unknown.filter((name) => name > newestKnown), older: unknown.filter((name) => name <= newestKnown) };
}

/**
 * Runs pending migrations. Several instances may start at once: a MySQL named lock makes the
 * others wait for the first to finish instead of failing on knex's own lock table.
 * Migrations of a newer release (a rollback) are tolerated with a warning; see unknownMigrations.
 */
export async function runMigrations(knex: Knex, logger?: Pick<Logger, 'warn'>, timeoutSeconds = 60): Promise<string[]> {
  const conn = await knex.client.acquireConnection();
  try {
    const [rows] = (await conn.promise().query('SELECT GET_LOCK(?, ?) AS got', [LOCK_NAME, timeoutSeconds])) as [Array<{ got: number | null }>];
    if (rows[0]?.got !== 1) throw new Error(`Timed out waiting ${timeoutSeconds}s for the migration lock`);
    try {
      const { newer, older } = await unknownMigrations(knex);
      if (older.length) {
        throw new Error(
          `The database records migrations this release does not know and that are older than its newest one: ${older.join(', ')}. ` +
            'Only migrations of a newer release (a rollback) are tolerated; deploy the release that has them.',
        );
      }
      if (newer.length) {
        logger?.warn({ unknownMigrations: newer }, 'the database has migrations of a newer release (rolled back?); starting on its expanded schema');
      }
      // knex would call the directory "corrupt" for the newer ones; they were checked above.
      const [, applied] = (await knex.migrate.latest({ migrationSource, disableMigrationsListValidation: true })) as [number, string[]];
      return applied;
    } finally {
      await conn.promise().query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await knex.client.releaseConnection(conn);
  }
}

export async function rollbackAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ migrationSource }, true);
}
