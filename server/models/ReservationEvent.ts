import { Model } from 'objection';

export class ReservationEvent extends Model {
  static override tableName = 'reservation_events';

  id!: number;
  reservationId!: number | null;
  gameId!: number | null;
  type!: string;
  fromStatus!: string | null;
  toStatus!: string | null;
  actor!: string;
  /** the staff account behind a `staff:` actor; null for customers and the system */
  staffUserId!: number | null;
  waitMs!: number | null;
  details!: string | null;
  createdAt!: Date;
}
