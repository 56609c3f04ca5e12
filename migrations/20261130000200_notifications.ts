import type { Knex } from 'knex';

const TS = (t: Knex.CreateTableBuilder, name: string) => t.specificType(name, 'DATETIME(3)');

/**
 * Reaching a pocketed phone (docs/NOTIFICATIONS.md): an optional phone number per reservation
 * (personal data, erased with the name), the Web Push subscriptions of a ticket (deleted when
 * it ends), one row per message owed (unique per reservation, event and channel: nothing is
 * sent twice) and the VAPID keys generated once when the environment has none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.string('phone', 16).nullable();
  });

  await knex.schema.createTable('push_subscriptions', (t) => {
    t.increments('id').primary();
    t.integer('reservation_id').unsigned().notNullable().references('id').inTable('reservations').onDelete('CASCADE');
    t.string('endpoint', 1024).notNullable();
    // SHA-256 of the endpoint: one row per browser per ticket (the endpoint is too long to index).
    t.specificType('endpoint_hash', 'CHAR(64)').notNullable();
    t.string('p256dh', 128).notNullable();
    t.string('auth', 64).notNullable();
    TS(t, 'created_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.unique(['reservation_id', 'endpoint_hash'], { indexName: 'push_subscriptions_unique' });
    t.charset('ascii');
  });

  await knex.schema.createTable('notifications', (t) => {
    t.increments('id').primary();
    t.integer('reservation_id').unsigned().notNullable().references('id').inTable('reservations').onDelete('CASCADE');
    // called | almost | again-<n>
    t.string('event', 24).notNullable();
    t.enu('channel', ['push', 'sms']).notNullable();
    t.enu('status', ['queued', 'delivered', 'failed']).notNullable().defaultTo('queued');
    t.smallint('attempts').unsigned().notNullable().defaultTo(0);
    t.string('error', 255).nullable();
    TS(t, 'created_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    TS(t, 'updated_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.unique(['reservation_id', 'event', 'channel'], { indexName: 'notifications_once' });
    t.index(['status', 'created_at'], 'notifications_pending');
    t.charset('utf8mb4');
  });

  await knex.schema.createTable('web_push_keys', (t) => {
    // One row (id 1): INSERT IGNORE makes two replicas starting at once agree on one key pair.
    t.tinyint('id').unsigned().primary();
    t.string('public_key', 128).notNullable();
    t.string('private_key', 64).notNullable();
    TS(t, 'created_at').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('web_push_keys');
  await knex.schema.dropTableIfExists('notifications');
  await knex.schema.dropTableIfExists('push_subscriptions');
  await knex.schema.alterTable('reservations', (t) => {
    t.dropColumn('phone');
  });
}
