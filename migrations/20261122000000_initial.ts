import type { Knex } from 'knex';

const TS = (t: Knex.CreateTableBuilder, name: string) => t.specificType(name, 'DATETIME(3)');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('games', (t) => {
    t.increments('id').primary();
    // utf8mb4_unicode_ci compares case-insensitively, so the unique index makes titles unique ignoring case.
    t.string('title', 120).notNullable().unique('games_title_unique');
    t.tinyint('min_players').unsigned().notNullable().defaultTo(1);
    t.tinyint('max_players').unsigned().notNullable().defaultTo(4);
    t.smallint('play_minutes').unsigned().notNullable().defaultTo(45);
    t.smallint('copies').unsigned().notNullable().defaultTo(1);
    t.boolean('active').notNullable().defaultTo(true);
    t.boolean('auto_advance').notNullable().defaultTo(true);
    TS(t, 'created_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    TS(t, 'updated_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.charset('utf8mb4');
    t.collate('utf8mb4_unicode_ci');
  });

  await knex.schema.createTable('reservations', (t) => {
    t.increments('id').primary();
    t.integer('game_id').unsigned().notNullable().references('id').inTable('games').onDelete('CASCADE');
    t.string('code', 8).notNullable().unique('reservations_code_unique');
    t.string('customer_name', 60).notNullable();
    t.tinyint('party_size').unsigned().notNullable().defaultTo(1);
    t.smallint('table_number').unsigned().nullable();
    // SHA-256 of a 192-bit random secret: high entropy, so a fast hash is enough.
    t.specificType('secret_hash', 'CHAR(64)').notNullable();
    t.enu('status', ['waiting', 'called', 'seated', 'finished', 'no_show', 'cancelled']).notNullable().defaultTo('waiting');
    // Server (database) time, set once: the queue order never depends on an app instance's clock.
    TS(t, 'enqueued_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    TS(t, 'called_at').nullable();
    TS(t, 'hold_expires_at').nullable();
    TS(t, 'seated_at').nullable();
    TS(t, 'finished_at').nullable();
    TS(t, 'updated_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.index(['game_id', 'status', 'enqueued_at', 'id'], 'reservations_queue_order');
    t.index(['status', 'hold_expires_at'], 'reservations_holds');
    t.charset('utf8mb4');
    t.collate('utf8mb4_unicode_ci');
  });

  await knex.schema.createTable('staff_users', (t) => {
    t.increments('id').primary();
    t.string('username', 60).notNullable().unique('staff_users_username_unique');
    t.string('password_hash', 255).notNullable();
    t.enu('role', ['admin', 'staff']).notNullable().defaultTo('staff');
    TS(t, 'created_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.charset('utf8mb4');
    t.collate('utf8mb4_unicode_ci');
  });

  // Append-only: no foreign keys, so history outlives deleted games and reservations.
  await knex.schema.createTable('reservation_events', (t) => {
    t.bigIncrements('id').primary();
    t.integer('reservation_id').unsigned().nullable();
    t.integer('game_id').unsigned().nullable();
    t.string('type', 32).notNullable();
    t.string('from_status', 16).nullable();
    t.string('to_status', 16).nullable();
    t.string('actor', 80).notNullable();
    t.integer('wait_ms').unsigned().nullable();
    t.text('details').nullable();
    TS(t, 'created_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.index(['created_at'], 'reservation_events_created');
    t.index(['game_id', 'type', 'created_at'], 'reservation_events_game_type');
    t.index(['reservation_id'], 'reservation_events_reservation');
    t.charset('utf8mb4');
    t.collate('utf8mb4_unicode_ci');
  });

  // One row: the service-wide state version stamped on every realtime payload.
  await knex.schema.createTable('service_state', (t) => {
    t.tinyint('id').unsigned().primary();
    t.bigInteger('version').unsigned().notNullable().defaultTo(0);
  });
  await knex('service_state').insert({ id: 1, version: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('service_state');
  await knex.schema.dropTableIfExists('reservation_events');
  await knex.schema.dropTableIfExists('staff_users');
  await knex.schema.dropTableIfExists('reservations');
  await knex.schema.dropTableIfExists('games');
}
