import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import { StaffUser, type StaffRole } from '../models/StaffUser';
import { Conflict, NotFound } from '../errors';
import { hashPassword } from './passwords';
import { isUniqueViolation } from '../db/errors';

export function toUser(user: StaffUser) {
  return { id: user.id, username: user.username, role: user.role };
}

export async function createStaffUser(knex: Knex, username: string, password: string, role: StaffRole) {
  const passwordHash = await hashPassword(password);
  try {
    return await StaffUser.query(knex).insertAndFetch({ username, passwordHash, role });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict(`A staff user named "${username}" already exists`);
    throw err;
  }
}

export async function deleteStaffUser(knex: Knex, id: number, currentUserId: number) {
  if (id === currentUserId) throw new Conflict('You cannot delete your own account');
  const deleted = await StaffUser.query(knex).deleteById(id);
  if (!deleted) throw new NotFound('No staff user with that id');
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
