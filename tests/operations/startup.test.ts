import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createKnex, ensureDatabase } from '../../server/db/knex';
import { runMigrations, rollbackAll } from '../../server/db/migrate';
import { migrations } from '../../migrations';
import { DEMO_GAMES, seedDemoGames } from '../../server/db/seed';
import { ensureFirstAdmin } from '../../server/auth/users';
import { verifyPassword } from '../../server/auth/passwords';
import { createLogger } from '../../server/logger';
import { MYSQL, dropDatabase, testEnv, uniqueName } from '../helpers/testService';
import { createDatabase, dropTestData, freePort, newTestEnv, startApp } from '../helpers/appProcess';

const run = promisify(execFile);

describe('start-up: migrations, first admin, demo games', () => {
  const name = uniqueName('startup');
  const connection = { ...MYSQL, database: name };
  beforeAll(() => ensureDatabase(connection));
  afterAll(() => dropDatabase(name));

  test('when four instances start at once, migrations run once and all of them carry on', async () => {
    const instances = Array.from({ length: 4 }, () => createKnex(connection));
    try {
      const applied = await Promise.all(instances.map((knex) => runMigrations(knex)));
      expect(applied.flat()).toEqual(Object.keys(migrations).sort());
      expect(applied.flat()[0]).toBe('20261122000000_initial');
      const [tables] = await instances[0]!.raw('SHOW TABLES');
      const names = tables.map((row: Record<string, string>) => Object.values(row)[0]);
      expect(names).toEqual(expect.arrayContaining(['games', 'reservations', 'staff_users', 'reservation_events', 'service_state']));
    } finally {
      await Promise.all(instances.map((knex) => knex.destroy()));
    }
  });

  test('the reservations table has the foreign key, the queue-order index, and codes unique among live tickets', async () => {
    const knex = createKnex(connection);
    try {
      const [create] = await knex.raw('SHOW CREATE TABLE reservations');
      const ddl: string = create[0]['Create Table'];
      expect(ddl).toMatch(/FOREIGN KEY \(`game_id`\) REFERENCES `games` \(`id`\)/);
      expect(ddl).toMatch(/KEY `reservations_queue_order` \(`game_id`,`status`,`enqueued_at`,`id`\)/);
      expect(ddl).toMatch(/UNIQUE KEY `reservations_live_code_unique` \(`live_code`\)/);
      expect(ddl).not.toMatch(/UNIQUE KEY `reservations_code_unique`/);
      expect(ddl).toMatch(/`enqueued_at` datetime\(3\)/);
    } finally {
      await knex.destroy();
    }
  });

  test('with no ADMIN_PASSWORD the first start generates one, prints it once, and it works', async () => {
    const knex = createKnex(connection);
    const printed: string[] = [];
    try {
      await ensureFirstAdmin(knex, { username: 'boss' }, createLogger('silent'), (line) => printed.push(line));
      const line = printed.find((l) => l.startsWith('Password'));
      const password = line!.split(': ').pop()!;
      expect(password.length).toBeGreaterThanOrEqual(12);
      const user = await knex('staff_users').where('username', 'boss').first();
      expect(user.role).toBe('admin');
      expect(user.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(user.passwordHash, password)).toBe(true);

      printed.length = 0;
      await ensureFirstAdmin(knex, { username: 'boss' }, createLogger('silent'), (l) => printed.push(l));
      expect(printed).toEqual([]);
    } finally {
      await knex.destroy();
    }
  });

  test('the seed adds real games once; running it again adds nothing', async () => {
    const knex = createKnex(connection);
    try {
      expect(await seedDemoGames(knex)).toBe(DEMO_GAMES.length);
      expect(await seedDemoGames(knex)).toBe(0);
      const games = await knex('games').select('title', 'copies', 'play_minutes');
      expect(games.length).toBe(DEMO_GAMES.length);
      expect(games.every((g: { copies: number; playMinutes: number }) => g.copies > 0 && g.playMinutes > 0)).toBe(true);
    } finally {
      await knex.destroy();
    }
  });

  test('migrations roll back cleanly, even after a ticket code was drawn again', async () => {
    const knex = createKnex(connection);
    try {
      const [gameId] = await knex('games').insert({ title: 'Rollback probe' });
      const row = { gameId, customerName: 'X', secretHash: '0'.repeat(64), code: 'K7FA' };
      await knex('reservations').insert([
        { ...row, status: 'cancelled', liveCode: null, finishedAt: knex.raw('CURRENT_TIMESTAMP(3) - INTERVAL 2 DAY') },
        { ...row, status: 'waiting', liveCode: 'K7FA' },
      ]);
      // The unique index on `code` comes back on the way down: the older holder must give way.
      await rollbackAll(knex);
      const [tables] = await knex.raw("SHOW TABLES LIKE 'reservations'");
      expect(tables).toEqual([]);
      await runMigrations(knex);
    } finally {
      await knex.destroy();
    }
  });

  test('`npm run seed` migrates and seeds a fresh database from the command line', async () => {
    const fresh = uniqueName('seedcli');
    try {
      const env = { ...process.env, ...testEnv(fresh, { LOG_LEVEL: 'info' }) };
      const { stdout } = await run('npm', ['run', '--silent', 'seed'], { env, cwd: `${__dirname}/../..` });
      expect(stdout).toMatch(/demo games seeded/);
      const knex = createKnex({ ...MYSQL, database: fresh });
      try {
        expect((await knex('games').count({ n: '*' }))[0]!.n).toBe(DEMO_GAMES.length);
      } finally {
        await knex.destroy();
      }
    } finally {
      await dropDatabase(fresh);
    }
  }, 60_000);
});

describe('rolling back across a migration: the previous release starts on a newer schema', () => {
  // What a newer release left behind: a migration (and its expanded schema) this code never saw.
  const NEWER = '29991231000000_from_a_newer_release';

  async function recordMigration(database: string, name: string) {
    const knex = createKnex({ ...MYSQL, database });
    try {
      await runMigrations(knex);
      const batch = ((await knex('knex_migrations').max({ b: 'batch' }))[0]!.b as number) + 1;
      await knex('knex_migrations').insert({ name, batch, migrationTime: new Date() });
      await knex.schema.alterTable('games', (t) => t.string('added_by_newer_release', 20).nullable());
    } finally {
      await knex.destroy();
    }
  }

  test('the app process starts, warns naming the migration, and serves', async () => {
    const env = newTestEnv('rollback');
    await createDatabase(env);
    try {
      await recordMigration(env.dbName, NEWER);
      const app = await startApp(env, await freePort());
      try {
        const board = await fetch(`http://127.0.0.1:${app.port}/api/board`);
        expect(board.status).toBe(200);
        const health = await fetch(`http://127.0.0.1:${app.port}/health`);
        expect(await health.json()).toMatchObject({ status: 'healthy', database: 'connected' });
        expect(app.logs()).toContain(NEWER);
        expect(app.logs()).toMatch(/migrations of a newer release/);
      } finally {
        await app.stop();
      }
    } finally {
      await dropTestData(env);
    }
  }, 90_000);

  test('a recorded migration OLDER than the newest known one is refused, naming it', async () => {
    const name = uniqueName('oldunknown');
    await ensureDatabase({ ...MYSQL, database: name });
    const stray = '20261122000002_removed_or_from_another_branch';
    try {
      const knex = createKnex({ ...MYSQL, database: name });
      try {
        await runMigrations(knex);
        await knex('knex_migrations').insert({ name: stray, batch: 99, migrationTime: new Date() });
        await expect(runMigrations(knex)).rejects.toThrow(new RegExp(`does not know and that are older.*${stray}`));
      } finally {
        await knex.destroy();
      }
    } finally {
      await dropDatabase(name);
    }
  });

  test('knex alone calls such a database corrupt (what the previous image did)', async () => {
    const name = uniqueName('corrupt');
    await ensureDatabase({ ...MYSQL, database: name });
    try {
      await recordMigration(name, NEWER);
      const knex = createKnex({ ...MYSQL, database: name });
      try {
        const source = { getMigrations: async () => Object.keys(migrations).sort(), getMigrationName: (n: string) => n, getMigration: async (n: string) => migrations[n]! };
        await expect(knex.migrate.latest({ migrationSource: source })).rejects.toThrow(/migration directory is corrupt/);
      } finally {
        await knex.destroy();
      }
    } finally {
      await dropDatabase(name);
    }
  });
});
