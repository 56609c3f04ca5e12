// Realtime pipeline, the version: the announcer (step 2) bumps it once per change notice;
// every payload the screens get (steps 3 and 4) carries it.
import type { Knex } from 'knex';

/**
 * The service-wide state version, kept in MySQL so it survives Redis losing everything.
 * Bumped once per change notice, after its changes committed and before any instance reads
 * for it, so a snapshot with a higher version never shows older data than one with a lower.
 */
export async function nextVersion(knex: Knex): Promise<number> {
  const [result] = (await knex.raw('UPDATE service_state SET version = LAST_INSERT_ID(version + 1) WHERE id = 1')) as [{ insertId: number }];
  return Number(result.insertId);
}

export async function currentVersion(knex: Knex): Promise<number> {
  const row = (await knex('service_state').where('id', 1).first('version')) as { version: number | string } | undefined;
  return Number(row?.version ?? 0);
}
