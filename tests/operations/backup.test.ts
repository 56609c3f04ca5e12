/**
 * scripts/backup-mysql.sh and scripts/restore-mysql.sh (BACKUP_VIA=host) against the local
 * MySQL/MariaDB: back up, damage the data and add a table, restore, and find exactly the dump.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Connection } from 'mysql2/promise';
import { MYSQL_URL_BASE } from '../helpers/appProcess';
import { FakeDocker } from '../helpers/fakeDocker';

const ROOT = join(__dirname, '..', '..');
const db = `mq_backup_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const url = new URL(MYSQL_URL_BASE);
const scriptEnv = {
  ...process.env,
  BACKUP_VIA: 'host',
  MYSQL_HOST: url.hostname,
  MYSQL_PORT: url.port || '3306',
  MYSQL_USER: decodeURIComponent(url.username) || 'root',
  MYSQL_PASSWORD: decodeURIComponent(url.password),
  MYSQL_DATABASE: db,
  BACKUP_KEEP: '2',
};
const hasClients = ['mysqldump', 'mysql'].every((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);
let conn: Connection;
let dir: string;

async function tables(): Promise<string[]> {
  const [rows] = await conn.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name', [db]);
  return (rows as { name: string }[]).map((r) => r.name);
}

function run(script: string, args: string[]) {
  const res = spawnSync('bash', [join(ROOT, 'scripts', script), ...args], { env: scriptEnv, encoding: 'utf8', timeout: 60_000 });
  if (res.status !== 0) throw new Error(`${script} exited ${res.status}:\n${res.stdout}\n${res.stderr}`);
  return res.stdout.trim();
}

(hasClients ? describe : describe.skip)('MySQL backup and restore scripts', () => {
  beforeAll(async () => {
    const mysql = await import('mysql2/promise');
    conn = await mysql.createConnection(MYSQL_URL_BASE);
    await conn.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`CREATE TABLE \`${db}\`.games (id INT PRIMARY KEY AUTO_INCREMENT, title VARCHAR(100) NOT NULL)`);
    await conn.query(`INSERT INTO \`${db}\`.games (title) VALUES ('Azul'), ('Catan'), ('Café 🎲 Wingspan')`);
    dir = mkdtempSync(join(tmpdir(), 'mq-backups-'));
  });

  afterAll(async () => {
    await conn?.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await conn?.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('backup, lose the data, restore', async () => {
    const file = run('backup-mysql.sh', [dir]).split('\n').pop()!;
    expect(file).toMatch(/\.sql\.gz$/);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(`${file}.sha256`)).toBe(true);

    await conn.query(`DELETE FROM \`${db}\`.games WHERE title = 'Catan'`);
    await conn.query(`UPDATE \`${db}\`.games SET title = 'oops'`);
    // A table created after the dump (e.g. by a migration of a release being rolled back).
    await conn.query(`CREATE TABLE \`${db}\`.created_later (id INT PRIMARY KEY)`);
    await conn.query(`INSERT INTO \`${db}\`.created_later VALUES (1)`);

    const refused = spawnSync('bash', [join(ROOT, 'scripts', 'restore-mysql.sh'), file], { env: scriptEnv, encoding: 'utf8', input: '' });
    expect(refused.status).not.toBe(0); // no --yes, not a terminal: refuses

    run('restore-mysql.sh', ['--yes', file]);
    const [rows] = await conn.query(`SELECT title FROM \`${db}\`.games ORDER BY id`);
    expect((rows as { title: string }[]).map((r) => r.title)).toEqual(['Azul', 'Catan', 'Café 🎲 Wingspan']);
    expect(await tables()).toEqual(['games']); // what the dump does not have is gone
  }, 60_000);

  test('refuses a dump that did not finish, and leaves the database as it was', async () => {
    const file = join(dir, 'meeple-truncated.sql.gz');
    writeFileSync(file, gzipSync('-- MySQL dump\nCREATE TABLE half (id INT);\n'));
    await conn.query(`CREATE TABLE \`${db}\`.still_here (id INT PRIMARY KEY)`);
    const res = spawnSync('bash', [join(ROOT, 'scripts', 'restore-mysql.sh'), '--yes', file], { env: scriptEnv, encoding: 'utf8' });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/not a complete mysqldump/);
    expect(await tables()).toEqual(['games', 'still_here']);
    await conn.query(`DROP TABLE \`${db}\`.still_here`);
    rmSync(file);
  });

  test('compose host: backup and restore from the running mysql container alone, no compose or env file', async () => {
    // A stand-in engine (tests/helpers/fakeDocker.ts) whose mysql container's `docker exec`
    // runs here with that container's environment, against this machine's MySQL.
    const fake = new FakeDocker({
      containers: [
        {
          id: 'c-mysql',
          image: 'mysql:8.4',
          running: true,
          labels: { 'com.docker.compose.project': 'meeple-queue', 'com.docker.compose.service': 'mysql' },
          env: { MYSQL_ROOT_PASSWORD: scriptEnv.MYSQL_PASSWORD, MYSQL_DATABASE: db, MYSQL_HOST: scriptEnv.MYSQL_HOST, MYSQL_TCP_PORT: scriptEnv.MYSQL_PORT },
        },
        { id: 'c-app', image: 'meeple-queue:x', running: true, labels: { 'com.docker.compose.project': 'meeple-queue', 'com.docker.compose.service': 'app' } },
      ],
    });
    try {
      // Only what a cron job on the deploy host has: no ENV_FILE, no MYSQL_* settings.
      const env = fake.env({ BACKUP_VIA: 'compose', BACKUP_KEEP: '5' });
      for (const key of ['MYSQL_HOST', 'MYSQL_PORT', 'MYSQL_USER', 'MYSQL_PASSWORD', 'MYSQL_DATABASE', 'ENV_FILE']) delete env[key];
      const out = join(dir, 'compose');
      const backup = spawnSync('bash', [join(ROOT, 'scripts', 'backup-mysql.sh'), out], { env, encoding: 'utf8', timeout: 60_000 });
      expect(backup.stderr).toMatch(/backup OK/);
      const file = backup.stdout.trim().split('\n').pop()!;

      await conn.query(`CREATE TABLE \`${db}\`.created_later (id INT PRIMARY KEY)`);
      const restore = spawnSync('bash', [join(ROOT, 'scripts', 'restore-mysql.sh'), '--yes', '--stop-app', file], { env, encoding: 'utf8', timeout: 60_000 });
      expect(restore.stderr).toMatch(/restore OK/);
      expect(await tables()).toEqual(['games']);
      const [rows] = await conn.query(`SELECT title FROM \`${db}\`.games ORDER BY id`);
      expect((rows as { title: string }[]).map((r) => r.title)).toEqual(['Azul', 'Catan', 'Café 🎲 Wingspan']);
      // --stop-app stopped the app container and started it again.
      const appCalls = fake.calls().filter((c) => c.args.includes('c-app')).map((c) => c.args[0]);
      expect(appCalls).toEqual(['stop', 'start']);
    } finally {
      fake.remove();
    }
  }, 60_000);

  test('keeps only BACKUP_KEEP backups', async () => {
    for (let i = 0; i < 3; i++) {
      run('backup-mysql.sh', [dir]);
      await new Promise((r) => setTimeout(r, 1100)); // file names have one-second resolution
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.sql.gz'))).toHaveLength(2);
  }, 60_000);
});
