import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Logger } from '../logger';

const NAME = 'session';

/**
 * The session secret to sign with. SESSION_SECRET always wins. Without it (the README's quick
 * start), the first start stores the secret it drew in MySQL and every later start, on any
 * instance, reads that one back, so staff tablets stay signed in across restarts. A stored
 * secret is never replaced; two instances starting at once agree on whichever was stored first.
 */
export async function settleSessionSecret(knex: Knex, session: Config['session'], logger: Logger): Promise<string> {
  if (!session.secretGenerated) return session.secret;
  await knex('service_secrets').insert({ name: NAME, value: session.secret }).onConflict('name').ignore();
  const row = (await knex('service_secrets').where({ name: NAME }).first('value')) as { value: string } | undefined;
  if (!row) throw new Error('the stored session secret could not be read back');
  // Our draw is random: finding it stored means this start stored it.
  const created = row.value === session.secret;
  logger.warn(
    created
      ? 'SESSION_SECRET is not set: generated a session secret and stored it in MySQL (service_secrets); later starts reuse it, so sessions survive restarts. Set SESSION_SECRET to use your own.'
      : 'SESSION_SECRET is not set: using the session secret stored in MySQL at first start (service_secrets).',
  );
  return row.value;
}
