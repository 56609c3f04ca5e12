import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { raw } from 'objection';
import type { Logger } from '../logger';
import { StaffUser, type StaffRole } from '../models/StaffUser';
import { Conflict, NotFound } from '../errors';
import { hashPassword } from './passwords';
import { isUniqueViolation } from '../db/errors';

/** What the API shows of an account (never the hash or the session generation). */
export function toUser(user: Pick<StaffUser, 'id' | 'username' | 'role'>) {
  return { id: user.id, username: user.username, role: user.role };
}

export async function createStaffUser(knex: Knex, username: string, password: string, role: StaffRole) {
  const passwordHash = await hashPassword(password);
  try {
    return await StaffUser.query(knex).insertAndFetch({ username, passwordHash, role });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict(`A staff user named "${username}" already exists`, { precise: { code: 'username_taken', params: { username } } });
    throw err;
  }
}

async function findStaffUser(knex: Knex, id: number): Promise<StaffUser> {
  const user = await StaffUser.query(knex).findById(id);
  if (!user) throw new NotFound('No staff user with that id', { precise: { code: 'user_not_found' } });
  return user;
}

/** Returns the deleted account, so its sessions and trusted devices can be forgotten. */
export async function deleteStaffUser(knex: Knex, id: number, currentUserId: number): Promise<StaffUser> {
  if (id === currentUserId) throw new Conflict('You cannot delete your own account', { precise: { code: 'cannot_delete_self' } });
  const user = await findStaffUser(knex, id);
  const deleted = await StaffUser.query(knex).deleteById(id);
  if (!deleted) throw new NotFound('No staff user with that id', { precise: { code: 'user_not_found' } });
  return user;
}

/** Changing one's own role is refused: the last admin could demote themself out of reach. */
export async function setStaffRole(knex: Knex, id: number, role: StaffRole, currentUserId: number): Promise<StaffUser> {
  if (id === currentUserId) throw new Conflict('You cannot change your own role', { precise: { code: 'cannot_change_own_role' } });
  await findStaffUser(knex, id);
  await StaffUser.query(knex).patch({ role }).where('id', id);
  return findStaffUser(knex, id);
}

/**
 * Sets a new password and bumps the account's session generation, which ends every session
 * signed in before (server/auth/accounts.ts). Returns the account as it is now.
 */
export async function setStaffPassword(knex: Knex, id: number, password: string): Promise<StaffUser> {
  const passwordHash = await hashPassword(password);
  const updated = await StaffUser.query(knex)
    .patch({ passwordHash, sessionGeneration: raw('session_generation + 1') })
    .where('id', id);
  if (!updated) throw new NotFound('No staff user with that id', { precise: { code: 'user_not_found' } });
  return findStaffUser(knex, id);
}

/**
 * The first start creates the admin. With no ADMIN_PASSWORD the password is generated and
 * printed once, like Jenkins' initial admin password; it is never printed again.
 */
export async function ensureFirstAdmin(
  knex: Knex,
  admin: { username: string; password?: string },
  logger: Logger,
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  const existing = await StaffUser.query(knex).where('role', 'admin').resultSize();
  if (existing > 0) return;
  const password = admin.password ?? randomBytes(12).toString('base64url');
  try {
    await createStaffUser(knex, admin.username, password, 'admin');
  } catch (err) {
    // Another instance starting at the same moment created it first.
    if (err instanceof Conflict) return;
    throw err;
  }
  logger.info({ username: admin.username }, 'created the first admin user');
  if (!admin.password) {
    print('*************************************************************');
    print(`Meeple Queue: first admin created. Username: ${admin.username}`);
    print(`Password (shown once, change it or set ADMIN_PASSWORD): ${password}`);
    print('*************************************************************');
  }
}
