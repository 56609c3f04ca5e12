import type { Knex } from 'knex';

/**
 * Estimate accuracy: each reservation keeps the wait it was quoted when it joined (the minutes
 * and the range shown), and its real wait, joining to first call, as a column MySQL derives from
 * the timestamps it already keeps (so it can never disagree with them).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.integer('quoted_wait_minutes').unsigned().nullable();
    t.integer('quoted_wait_low_minutes').unsigned().nullable();
    t.integer('quoted_wait_high_minutes').unsigned().nullable();
    // Today's accuracy reads the parties called since midnight.
    t.index(['called_at'], 'reservations_called_at');
  });
  await knex.raw(
    `ALTER TABLE reservations ADD COLUMN waited_ms BIGINT
       GENERATED ALWAYS AS (TIMESTAMPDIFF(MICROSECOND, enqueued_at, called_at) DIV 1000) VIRTUAL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.dropIndex(['called_at'], 'reservations_called_at');
    t.dropColumn('waited_ms');
    t.dropColumn('quoted_wait_high_minutes');
    t.dropColumn('quoted_wait_low_minutes');
    t.dropColumn('quoted_wait_minutes');
  });
}
