import { Model } from 'objection';

export type StaffRole = 'admin' | 'staff';

export class StaffUser extends Model {
  static override tableName = 'staff_users';

  id!: number;
  username!: string;
  passwordHash!: string;
  role!: StaffRole;
  createdAt!: Date;
}
