import type { Knex } from 'knex';

/**
 * Ticket codes are unique among live tickets only: open reservations and those ended in the
 * last day (`live_code`, unique, cleared by the housekeeping job), so the 4-character space
 * never runs out and an old ticket stops resolving. `code` stays as history. Waits are
 * stored in a BIGINT: a party forgotten for weeks no longer overflows the event log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.string('live_code', 8).nullable().unique('reservations_live_code_unique');
  });
  await knex.raw(
    `UPDATE reservations SET live_code = code
     WHERE finished_at IS NULL OR finished_at > CURRENT_TIMESTAMP(3) - INTERVAL 1 DAY`,
  );
  await knex.schema.alterTable('reservations', (t) => {
    t.dropUnique(['code'], 'reservations_code_unique');
    t.index(['code'], 'reservations_code');
  });
  await knex.raw('ALTER TABLE reservation_events MODIFY wait_ms BIGINT UNSIGNED NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE reservation_events MODIFY wait_ms INT UNSIGNED NULL');
  // Codes reused since the upgrade cannot all be unique again: older holders get their id in
  // base 36 as a suffix (8 characters, never equal to a 4-character code or to each other).
  await knex.raw(
    `UPDATE reservations r JOIN reservations newer ON newer.code = r.code AND newer.id > r.id
     SET r.code = CONCAT(LEFT(r.code, 4), LPAD(CONV(r.id MOD 1679616, 10, 36), 4, '0'))`,
  );
  await knex.schema.alterTable('reservations', (t) => {
    t.dropIndex(['code'], 'reservations_code');
    t.unique(['code'], { indexName: 'reservations_code_unique' });
    t.dropUnique(['live_code'], 'reservations_live_code_unique');
    t.dropColumn('live_code');
  });
}
