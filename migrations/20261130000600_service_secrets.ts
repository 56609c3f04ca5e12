import type { Knex } from 'knex';

// Secrets the service makes for itself on first start and keeps across restarts: the session
// secret when SESSION_SECRET is not set (server/auth/sessionSecret.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service_secrets', (t) => {
    t.string('name', 40).primary();
    t.string('value', 200).notNullable();
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_secrets');
}
