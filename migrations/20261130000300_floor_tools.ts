import type { Knex } from 'knex';

/**
 * Floor tools. `queue_at` is a party's place in the queue: when it joined (the same statement
 * default as `enqueued_at`, so equal to it) until staff move it up or down or send a no-show to
 * the back; `enqueued_at` keeps when it really joined, so waits stay true. Every event names the
 * staff account that made it (`staff_user_id`; null for customers and the system), which stays
 * when the account is later renamed or removed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE reservations ADD COLUMN queue_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) AFTER enqueued_at');
  await knex.raw('UPDATE reservations SET queue_at = enqueued_at');
  await knex.schema.alterTable('reservations', (t) => {
    t.index(['game_id', 'status', 'queue_at', 'id'], 'reservations_queue_place');
  });
  await knex.schema.alterTable('reservation_events', (t) => {
    t.integer('staff_user_id').unsigned().nullable().after('actor');
    t.index(['staff_user_id', 'created_at'], 'reservation_events_staff');
  });
  await knex.raw(
    `UPDATE reservation_events e JOIN staff_users u ON e.actor = CONCAT('staff:', u.username) SET e.staff_user_id = u.id`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservation_events', (t) => {
    t.dropIndex(['staff_user_id', 'created_at'], 'reservation_events_staff');
    t.dropColumn('staff_user_id');
  });
  await knex.schema.alterTable('reservations', (t) => {
    t.dropIndex(['game_id', 'status', 'queue_at', 'id'], 'reservations_queue_place');
    t.dropColumn('queue_at');
  });
}
