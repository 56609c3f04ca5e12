import type { Knex } from 'knex';

const TS = (t: Knex.CreateTableBuilder, name: string) => t.specificType(name, 'DATETIME(3)');

/**
 * The café's settings (one row per key, a JSON value: opening hours now, branding later), the
 * end-of-day close-outs (one row per café day: the job that claims the row does the work, so
 * two workers never close a day twice) and the audit log of staff account and settings changes
 * (queue moves stay in reservation_events).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cafe_settings', (t) => {
    t.string('key', 64).primary();
    t.text('value', 'mediumtext').notNullable();
    t.string('updated_by', 80).notNullable();
    TS(t, 'updated_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.charset('utf8mb4');
    t.collate('utf8mb4_unicode_ci');
  });

  await knex.schema.createTable('close_outs', (t) => {
    t.date('cafe_date').primary();
    // Reservations that joined before this instant were ended; later ones belong to the next day.
    TS(t, 'cutoff').notNullable();
    t.string('actor', 80).notNullable();
    t.text('summary').nullable();
    TS(t, 'created_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
  });

  // Append-only, like reservation_events: no foreign keys, so it outlives deleted accounts.
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.string('actor', 80).notNullable();
    t.string('type', 32).notNullable();
    t.string('subject', 120).nullable();
    t.text('details').nullable();
    TS(t, 'created_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.index(['created_at'], 'audit_log_created');
    t.index(['actor', 'created_at'], 'audit_log_actor');
    t.charset('utf8mb4');
    t.collate('utf8mb4_unicode_ci');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_log');
  await knex.schema.dropTableIfExists('close_outs');
  await knex.schema.dropTableIfExists('cafe_settings');
}
