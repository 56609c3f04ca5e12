import { Model } from 'objection';

export type StaffRole = 'admin' | 'staff';

export class StaffUser extends Model {
  static override tableName = 'staff_users';

  id!: number;
  username!: string;
  passwordHash!: string;
  role!: StaffRole;
  /** Bumped by a password change or reset: sessions signed in under an older one are over. */
  sessionGeneration!: number;
  createdAt!: Date;
}
