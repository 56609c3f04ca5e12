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
  waitMs!: number | null;
  details!: string | null;
  createdAt!: Date;
}
