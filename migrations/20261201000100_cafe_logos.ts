import type { Knex } from 'knex';

/**
 * The café's logo images, one row per distinct picture, keyed by the SHA-256 of its bytes: the
 * served URL carries the hash, so a browser may keep a picture forever and a new logo is a new
 * URL. Kept in MySQL (not on disk) so every app instance serves it and the backups hold it; the
 * identity setting names the one in use, older rows are removed when it changes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cafe_logos', (t) => {
    t.string('hash', 64).primary();
    t.string('content_type', 32).notNullable();
    t.specificType('bytes', 'MEDIUMBLOB').notNullable();
    t.specificType('created_at', 'DATETIME(3)').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('cafe_logos');
}
