import type { Knex } from 'knex';

// The language a party chose on /join: its ticket page and its push and text messages use it.
// Null when none was sent (staff walk-ins, older clients): the café's default language applies.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.string('language', 5).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.dropColumn('language');
  });
}
