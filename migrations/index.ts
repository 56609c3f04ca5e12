import type { Knex } from 'knex';
import * as initial from './20261122000000_initial';

/**
 * Migrations are imported, not discovered on disk, so the same list runs under tsx, Jest and
 * the compiled dist/ build. Append new ones here in order.
 */
export const migrations: Record<string, Knex.Migration> = {
  '20261122000000_initial': initial,
};
