import type { Knex } from 'knex';

// The measured play time reads a game's latest finished sessions; without this index it sorts
// the game's whole history, which only grows.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.index(['game_id', 'status', 'finished_at'], 'reservations_recent_sessions');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.dropIndex(['game_id', 'status', 'finished_at'], 'reservations_recent_sessions');
  });
}
