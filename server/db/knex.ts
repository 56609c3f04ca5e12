import knexFactory, { type Knex } from 'knex';
import { Model, knexSnakeCaseMappers } from 'objection';
import type { Config, MysqlConnection } from '../config';

export type { Knex };

interface KnexLog {
  warn(msg: unknown): void;
}

/** knex prints its own warnings with console.log; they go to the service's log instead. */
export function createKnex(mysql: MysqlConnection & { poolMax?: number }, logger?: KnexLog): Knex {
  const log = (msg: unknown) => logger?.warn({ knex: String(msg) });
  return knexFactory({
    log: { warn: log, error: log, deprecate: log, debug: () => undefined },
    // Code says camelCase, tables say snake_case; raw SQL is written in snake_case.
    ...knexSnakeCaseMappers(),
    client: 'mysql2',
    connection: {
      host: mysql.host,
      port: mysql.port,
      user: mysql.user,
      password: mysql.password,
      database: mysql.database,
      timezone: 'Z',
      connectTimeout: 3000,
      supportBigNumbers: true,
      bigNumberStrings: false,
    },
    pool: {
      min: 0,
      max: mysql.poolMax ?? 10,
      // Timestamps are stored and compared in UTC whatever the server's zone is.
      afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
        conn.query("SET time_zone = '+00:00'", (err) => done(err, conn));
      },
    },
    acquireConnectionTimeout: 5000,
  });
}

/** Creates the database if it does not exist yet (first start, tests). */
export async function ensureDatabase(mysql: MysqlConnection): Promise<void> {
  const admin = createKnex({ ...mysql, database: '', poolMax: 1 });
  try {
    await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [mysql.database]);
  } finally {
    await admin.destroy();
  }
}

export function connectDatabase(config: Config): Knex {
  const knex = createKnex(config.mysql);
  Model.knex(knex);
  return knex;
}
