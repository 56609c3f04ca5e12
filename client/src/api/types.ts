// Shapes from /work/shared/API.md. A renamed field here should break the build, not a screen.

export type Role = 'admin' | 'staff';

export interface User {
  id: number;
  username: string;
  role: Role;
}

export interface Game {
  id: number;
  title: string;
  minPlayers: number;
  maxPlayers: number;
  playMinutes: number;
  copies: number;
  copiesInUse: number;
  /** Count of waiting parties. */
  waiting: number;
  /** Beyond API.md: inactive games are listed for staff but not joinable. */
  active: boolean;
  /** Beyond API.md: when false, staff call parties by hand. */
  autoAdvance: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface GameInput {
  title: string;
  minPlayers?: number;
  maxPlayers?: number;
  playMinutes?: number;
  copies?: number;
  active?: boolean;
  autoAdvance?: boolean;
}

export type ReservationStatus = 'waiting' | 'called' | 'seated' | 'finished' | 'no_show' | 'cancelled';

export interface Reservation {
  id: number;
  gameId: number;
  code: string;
  customerName: string;
  partySize: number;
  tableNumber: number | null;
  status: ReservationStatus;
  position: number | null;
  estimatedWaitMinutes: number | null;
  enqueuedAt: string;
  calledAt: string | null;
  holdExpiresAt: string | null;
  seatedAt: string | null;
  finishedAt: string | null;
}

/** Only the POST /api/games/:id/reservations response carries the secret. */
export interface CreatedReservation extends Reservation {
  secret: string;
}

export interface ReservationInput {
  customerName: string;
  partySize?: number;
  tableNumber?: number | null;
}

export type ReservationPatch = Partial<ReservationInput>;

export type Transition = 'call' | 'seat' | 'finish' | 'no-show' | 'cancel';

export interface Ticket {
  code: string;
  gameId: number;
  gameTitle: string;
  displayName: string;
  status: ReservationStatus;
  position: number | null;
  estimatedWaitMinutes: number | null;
  holdExpiresAt: string | null;
}

export interface Entry {
  code: string;
  displayName: string;
  partySize: number;
  position: number | null;
  estimatedWaitMinutes: number | null;
  holdExpiresAt: string | null;
}

export interface BoardGame {
  id: number;
  title: string;
  copies: number;
  copiesInUse: number;
  calling: Entry[];
  waiting: Entry[];
}

export interface Board {
  version: number;
  games: BoardGame[];
}

export interface GameStats {
  gameId: number;
  title: string;
  served: number;
  meanWaitMinutes: number | null;
}

export interface Stats {
  served: number;
  noShows: number;
  cancelled: number;
  meanWaitMinutes: number | null;
  p90WaitMinutes: number | null;
  perGame: GameStats[];
}

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: ErrorDetail[];
  };
}

// Socket.IO payloads. Every state payload carries the service-wide version.

export interface StaffGame {
  id: number;
  title: string;
  copies: number;
  copiesInUse: number;
  autoAdvance: boolean;
  calling: Reservation[];
  waiting: Reservation[];
  seated: Reservation[];
}

export interface GamesSnapshot<G> {
  version: number;
  games: G[];
}

export interface GameUpdate<G> {
  version: number;
  game: G;
}

export interface StatsUpdate {
  version: number;
  stats: Stats;
}

export interface TicketUpdate extends Ticket {
  version: number;
}

export interface CalledNotice {
  version: number;
  code: string;
  gameTitle: string;
  holdExpiresAt: string | null;
}

export interface BoardServerEvents {
  snapshot: (payload: GamesSnapshot<BoardGame>) => void;
  game: (payload: GameUpdate<BoardGame>) => void;
}

export interface StaffServerEvents {
  snapshot: (payload: GamesSnapshot<StaffGame>) => void;
  game: (payload: GameUpdate<StaffGame>) => void;
  stats: (payload: StatsUpdate) => void;
}

export interface TicketServerEvents {
  ticket: (payload: TicketUpdate) => void;
  called: (payload: CalledNotice) => void;
}

export interface ClientEvents {
  resync: () => void;
  watch: (payload: { code: string }) => void;
}
