import type { Knex } from 'knex';

// "Wrapping up": when staff marked a seated table as starting its last round (the `wrap_up`
// move). The wait estimate of the parties behind reads it; Finish keeps it, so the game's history
// learns how long before Finish tables are marked.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.specificType('wrapping_up_at', 'DATETIME(3)').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.dropColumn('wrapping_up_at');
  });
}
