import type { Knex } from 'knex';

// Sessions remember the generation they were signed in under; a password change or reset bumps
// it, which ends every other session of that account on the next request (see server/auth).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_users', (t) => {
    t.integer('session_generation').unsigned().notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_users', (t) => {
    t.dropColumn('session_generation');
  });
}
