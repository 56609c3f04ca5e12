// The client's names for the API's shapes. HTTP shapes are aliases of the schemas in
// schema.d.ts, which `npm run api:types` generates from the server's OpenAPI document: a field
// renamed on the server breaks `vue-tsc` here, not a screen. Socket.IO payloads are not in the
// document; they are composed from the same schemas and checked against
// server/realtime/contract.ts by tests/client/api-contract.test.ts.
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type Role = User['role'];

export type Game = Schemas['Game'];
export type GameInput = Schemas['NewGame'];
export type GamePatch = Schemas['GamePatch'];

export type ReservationStatus = Schemas['ReservationStatus'];
export type Reservation = Schemas['Reservation'];
/** Only the POST /api/games/:id/reservations response carries the secret. */
export type CreatedReservation = Schemas['CreatedReservation'];
export type ReservationInput = Schemas['JoinQueue'];
export type ReservationPatch = Schemas['ReservationPatch'];

/** The status changes the document offers as POST /api/reservations/{id}/<action>. */
export type Transition = keyof paths extends infer P ? (P extends `/api/reservations/{id}/${infer A}` ? A : never) : never;

export type Ticket = Schemas['Ticket'];
/** A quoted wait: one number when lowMinutes = highMinutes = minutes, else a range. */
export type WaitEstimate = NonNullable<Schemas['WaitEstimate']>;
export type PushSubscriptionInput = Schemas['PushSubscription'];
export type Contact = Schemas['Contact'];

export type Entry = Schemas['BoardEntry'];
export type BoardGame = Schemas['BoardGame'];
export type Board = Schemas['Board'];

export type Stats = Schemas['Stats'];
export type GameStats = Stats['perGame'][number];

export type OpeningHours = Schemas['OpeningHours'];
export type OpeningHoursInput = Schemas['OpeningHoursInput'];
export type DayHours = Schemas['DayHours'];
export type CloseOut = Schemas['CloseOut'];
export type Cafe = Schemas['Cafe'];
export type CafeSettings = Schemas['CafeSettings'];
export type CafeSettingsInput = Schemas['CafeSettingsInput'];
export type Language = Cafe['language'];
export type History = Schemas['History'];
export type AuditEntry = Schemas['AuditEntry'];
export interface DateRange {
  from: string;
  to: string;
}
export type AuditFilter = NonNullable<paths['/api/audit']['get']['parameters']['query']>;

export type ErrorBody = Schemas['Error'];
export type ErrorDetail = ErrorBody['error']['details'][number];

// Socket.IO payloads. Every state payload carries the service-wide version.

/** A game as /staff sees it: full reservations, grouped by status. */
export type StaffGame = Schemas['StaffGame'];

export interface GamesSnapshot<G> {
  version: number;
  games: G[];
}

export interface StatsUpdate {
  version: number;
  stats: Stats;
}

export type TicketUpdate = Ticket & { version: number };

export type CalledNotice = Pick<Ticket, 'code' | 'gameTitle' | 'holdExpiresAt'> & { version: number };

export interface BoardServerEvents {
  snapshot: (payload: GamesSnapshot<BoardGame>) => void;
}

export interface StaffServerEvents {
  snapshot: (payload: GamesSnapshot<StaffGame>) => void;
  stats: (payload: StatsUpdate) => void;
}

/** The reservation was deleted by staff: the ticket no longer exists. */
export interface RemovedNotice {
  version: number;
  code: string;
}

export interface TicketServerEvents {
  ticket: (payload: TicketUpdate) => void;
  called: (payload: CalledNotice) => void;
  removed: (payload: RemovedNotice) => void;
}

/** `/cafe`: the café's identity, versioned by when it was saved. */
export interface CafeServerEvents {
  cafe: (payload: Cafe) => void;
}

export interface ClientEvents {
  resync: () => void;
  watch: (payload: { code: string }) => void;
}
