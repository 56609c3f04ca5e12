import { Model } from 'objection';
import type { ReservationStatus } from '../queue/states';
import type { Language } from '../i18n/languages';

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
  /** E.164, for text messages when the café has a gateway; personal data, never on a public payload */
  phone!: string | null;
  secretHash!: string;
  /** the phone it joined from (signed device cookie id); null for walk-ins staff added */
  deviceId!: string | null;
  /** the language chosen on /join (ticket page, messages); null: the café's default */
  language!: Language | null;
  status!: ReservationStatus;
  enqueuedAt!: Date;
  /** the party's place in the queue: `enqueuedAt` unless staff moved it (see ordering.ts) */
  queueAt!: Date;
  calledAt!: Date | null;
  holdExpiresAt!: Date | null;
  seatedAt!: Date | null;
  /** when staff marked the table "wrapping up" (its last round); kept through Finish */
  wrappingUpAt!: Date | null;
  finishedAt!: Date | null;
  updatedAt!: Date;
  /** the wait quoted when the party joined, and its range; null if none could be given */
  quotedWaitMinutes!: number | null;
  quotedWaitLowMinutes!: number | null;
  quotedWaitHighMinutes!: number | null;
  /** joining to first call, derived by MySQL from the timestamps; null until called */
  waitedMs!: number | null;
}
