import type { Knex } from 'knex';

// The phone a party joined from (the signed device cookie's random id; null for staff walk-ins):
// one device cannot join one game twice by mistake, and staff see parties that share a phone.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.string('device_id', 32).nullable();
    t.index(['device_id', 'game_id', 'status'], 'reservations_device_game_status');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.dropIndex(['device_id', 'game_id', 'status'], 'reservations_device_game_status');
    t.dropColumn('device_id');
  });
}
