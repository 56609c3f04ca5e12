import type { Knex } from 'knex';

/** A game may cap how many parties wait for it (null: no cap), so a join flood cannot grow a queue without end. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('games', (t) => {
    t.smallint('max_queue').unsigned().nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('games', (t) => {
    t.dropColumn('max_queue');
  });
}
