import type { Knex } from 'knex';
import webpush from 'web-push';
import type { Config } from '../config';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const TABLE = 'web_push_keys';
const cache = new WeakMap<Knex, Promise<VapidKeys>>();

/**
 * The application server keys every push subscription is bound to. From the environment when
 * set; otherwise generated once and kept in MySQL, never regenerated (a new pair would orphan
 * every subscription). Two replicas starting at once both try INSERT IGNORE of their own pair
 * and then both read the row that won.
 */
export function vapidKeys(knex: Knex, config: Config): Promise<VapidKeys> {
  if (config.notify.vapid) return Promise.resolve(config.notify.vapid);
  let keys = cache.get(knex);
  if (!keys) {
    keys = storedKeys(knex);
    // A failed read (MySQL down) is not remembered: the next caller tries again.
    keys.catch(() => cache.delete(knex));
    cache.set(knex, keys);
  }
  return keys;
}

async function storedKeys(knex: Knex): Promise<VapidKeys> {
  const read = () => knex(TABLE).where({ id: 1 }).first('publicKey', 'privateKey') as Promise<VapidKeys | undefined>;
  const existing = await read();
  if (existing) return existing;
  const fresh = webpush.generateVAPIDKeys();
  await knex.raw(`INSERT IGNORE INTO ${TABLE} (id, public_key, private_key) VALUES (1, ?, ?)`, [fresh.publicKey, fresh.privateKey]);
  return (await read())!;
}
