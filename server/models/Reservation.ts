import { Model } from 'objection';
import type { ReservationStatus } from '../queue/states';

export class Reservation extends Model {
  static override tableName = 'reservations';

  id!: number;
  gameId!: number;
  code!: string;
  /** the code while the ticket resolves (open, or ended less than a day ago); null after */
  liveCode!: string | null;
  customerName!: string;
  partySize!: number;
  tableNumber!: number | null;
  secretHash!: string;
  status!: ReservationStatus;
  enqueuedAt!: Date;
  calledAt!: Date | null;
  holdExpiresAt!: Date | null;
  seatedAt!: Date | null;
  finishedAt!: Date | null;
  updatedAt!: Date;
  /** the wait quoted when the party joined, and its range; null if none could be given */
  quotedWaitMinutes!: number | null;
  quotedWaitLowMinutes!: number | null;
  quotedWaitHighMinutes!: number | null;
  /** joining to first call, derived by MySQL from the timestamps; null until called */
  waitedMs!: number | null;
}
