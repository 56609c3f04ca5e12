import { ApiError, toApiError } from './error';
import type {
  Board,
  CreatedReservation,
  Game,
  GameInput,
  Reservation,
  ReservationInput,
  ReservationPatch,
  ReservationStatus,
  Stats,
  Ticket,
  Transition,
  User,
} from './types';

export { ApiError, errorMessage, formErrors } from './error';
export type * from './types';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      // A non-JSON body (proxy error page) is handled by toApiError's fallback below.
      parsed = undefined;
    }
  }
  if (!response.ok) throw toApiError(response.status, parsed);
  if (text && parsed === undefined) {
    throw new ApiError(response.status, 'bad_response', 'The server sent an unreadable answer.');
  }
  return parsed as T;
}

const enc = encodeURIComponent;

export const api = {
  auth: {
    me: () => request<{ user: User }>('GET', '/api/auth/me').then((r) => r.user),
    login: (username: string, password: string) =>
      request<{ user: User }>('POST', '/api/auth/login', { username, password }).then((r) => r.user),
    logout: () => request<void>('POST', '/api/auth/logout'),
  },
  games: {
    list: () => request<Game[]>('GET', '/api/games'),
    get: (id: number) => request<Game>('GET', `/api/games/${id}`),
    create: (input: GameInput) => request<Game>('POST', '/api/games', input),
    update: (id: number, patch: Partial<GameInput>) => request<Game>('PATCH', `/api/games/${id}`, patch),
    remove: (id: number) => request<void>('DELETE', `/api/games/${id}`),
    callNext: (id: number) => request<Reservation>('POST', `/api/games/${id}/call-next`),
  },
  reservations: {
    create: (gameId: number, input: ReservationInput) =>
      request<CreatedReservation>('POST', `/api/games/${gameId}/reservations`, input),
    list: (filter: { gameId?: number; status?: ReservationStatus } = {}) => {
      const query = new URLSearchParams();
      if (filter.gameId !== undefined) query.set('gameId', String(filter.gameId));
      if (filter.status) query.set('status', filter.status);
      const qs = query.toString();
      return request<Reservation[]>('GET', `/api/reservations${qs ? `?${qs}` : ''}`);
    },
    get: (id: number) => request<Reservation>('GET', `/api/reservations/${id}`),
    update: (id: number, patch: ReservationPatch) => request<Reservation>('PATCH', `/api/reservations/${id}`, patch),
    remove: (id: number) => request<void>('DELETE', `/api/reservations/${id}`),
    transition: (id: number, action: Transition) =>
      request<Reservation>('POST', `/api/reservations/${id}/${action}`),
  },
  tickets: {
    get: (code: string) => request<Ticket>('GET', `/api/tickets/${enc(code)}`),
    cancel: (code: string, secret: string) => request<unknown>('POST', `/api/tickets/${enc(code)}/cancel`, { secret }),
  },
  board: {
    get: () => request<Board>('GET', '/api/board'),
  },
  stats: {
    today: () => request<Stats>('GET', '/api/stats/today'),
  },
};
