import type { Knex } from 'knex';
import type { ZodType } from 'zod';

/**
 * The café's settings store: one row per key in `cafe_settings`, its value JSON checked by the
 * key's zod schema on the way in and on the way out (a value an older version wrote that no
 * longer fits falls back to the default instead of breaking joins). Opening hours live here, and
 * the café's identity (identity.ts), each key with its own schema and routes.
 *
 * Reads are cached per process for SETTINGS_CACHE_MS (joins read the hours on the hot path);
 * the process that writes a key forgets it at once, other instances see it within that time.
 */
export const SETTINGS_CACHE_MS = 2000;

export interface SettingKey<T> {
  key: string;
  schema: ZodType<T>;
  fallback: T;
}

export function defineSetting<T>(key: string, schema: ZodType<T>, fallback: T): SettingKey<T> {
  return { key, schema, fallback };
}

export interface StoredSetting<T> {
  value: T;
  updatedBy: string | null;
  updatedAt: Date | null;
}

interface Entry {
  expiresAt: number;
  row: Promise<{ value: string; updatedBy: string; updatedAt: Date } | undefined>;
}

const caches = new WeakMap<Knex, Map<string, Entry>>();
const cacheOf = (knex: Knex) => caches.get(knex) ?? caches.set(knex, new Map()).get(knex)!;

function readRow(knex: Knex, key: string): Entry['row'] {
  const cache = cacheOf(knex);
  const now = Date.now();
  const cached = cache.get(key);
  if (cached && cached.expiresAt > now) return cached.row;
  const entry: Entry = {
    expiresAt: now + SETTINGS_CACHE_MS,
    // A real promise (a knex builder would run its query again on every await).
    row: knex('cafe_settings')
      .where({ key })
      .first('value', 'updatedBy', 'updatedAt')
      .then((row: { value: string; updatedBy: string; updatedAt: Date } | undefined) => row),
  };
  cache.set(key, entry);
  // A failed read is not remembered: the next caller asks MySQL again.
  entry.row.catch(() => cache.get(key) === entry && cache.delete(key));
  return entry.row;
}

export async function readSetting<T>(knex: Knex, setting: SettingKey<T>): Promise<StoredSetting<T>> {
  const row = await readRow(knex, setting.key);
  if (!row) return { value: setting.fallback, updatedBy: null, updatedAt: null };
  return { value: parseValue(setting, row.value), updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

/** A stored value that no longer fits its schema (or is not JSON) counts as never saved. */
function parseValue<T>(setting: SettingKey<T>, text: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const checked = setting.schema.safeParse(parsed);
  return checked.success ? checked.data : setting.fallback;
}

/**
 * A key's value read in the caller's transaction under a row lock, past the cache: for a change
 * made from the current value (two saves at once must not undo each other).
 */
export async function readSettingForUpdate<T>(trx: Knex, setting: SettingKey<T>): Promise<T> {
  const row = (await trx('cafe_settings').where({ key: setting.key }).forUpdate().first('value')) as { value: string } | undefined;
  return row ? parseValue(setting, row.value) : setting.fallback;
}

/**
 * Saves a value already checked by the key's schema (the route validated it), in the caller's
 * transaction; once it has committed, `forgetSetting` makes this process read it again.
 */
export async function writeSetting<T>(trx: Knex, setting: SettingKey<T>, value: T, actor: string): Promise<void> {
  const row = { key: setting.key, value: JSON.stringify(value), updatedBy: actor, updatedAt: trx.raw('CURRENT_TIMESTAMP(3)') };
  await trx('cafe_settings').insert(row).onConflict('key').merge(['value', 'updatedBy', 'updatedAt']);
}

export function forgetSetting(knex: Knex, setting: SettingKey<unknown>): void {
  cacheOf(knex).delete(setting.key);
}
