import type { Knex } from 'knex';
import { migrations } from '../../migrations';

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

/**
 * Runs pending migrations. Several instances may start at once: a MySQL named lock makes the
 * others wait for the first to finish instead of failing on knex's own lock table.
 */
export async function runMigrations(knex: Knex, timeoutSeconds = 60): Promise<string[]> {
  const conn = await knex.client.acquireConnection();
  try {
    const [rows] = (await conn.promise().query('SELECT GET_LOCK(?, ?) AS got', [LOCK_NAME, timeoutSeconds])) as [Array<{ got: number | null }>];
    if (rows[0]?.got !== 1) throw new Error(`Timed out waiting ${timeoutSeconds}s for the migration lock`);
    try {
      const [, applied] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
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
