import { ApiError, toApiError } from './error';
import { i18n } from '../i18n';
import type { paths } from './schema';
import type { AuditFilter, CafeSettingsInput, DateRange, GameInput, GamePatch, OpeningHoursInput, PushSubscriptionInput, ReservationInput, ReservationPatch, ReservationStatus, Role, Transition } from './types';

export { ApiError, errorMessage, formErrors } from './error';
export type * from './types';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** Every operation in the OpenAPI document as "METHOD /path", e.g. "PATCH /api/games/{id}". */
export type Endpoint = {
  [P in keyof paths]: {
    [M in Method]: [Operation<P, M>] extends [never] ? never : `${Uppercase<M>} ${P}`;
  }[Method];
}[keyof paths];

type OperationOf<E extends Endpoint> = E extends `${infer M} ${infer P extends keyof paths}`
  ? Operation<P, Lowercase<M> & Method>
  : never;
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : void;
type Success<E extends Endpoint> = OperationOf<E>['responses'] extends infer R
  ? { [S in keyof R & (200 | 201 | 204)]: Json<R[S]> }[keyof R & (200 | 201 | 204)]
  : never;
type PathParams<E extends Endpoint> = OperationOf<E>['parameters'] extends { path: infer X } ? X : never;
type Query<E extends Endpoint> = NonNullable<OperationOf<E>['parameters']['query']>;
type Body<E extends Endpoint> = Json<NonNullable<OperationOf<E>['requestBody']>>;

/** What a call needs besides the endpoint: path parameters and a body exactly when the document has them. */
type Args<E extends Endpoint> = ([PathParams<E>] extends [never] ? { path?: never } : { path: PathParams<E> }) &
  ([Query<E>] extends [never] ? { query?: never } : { query?: Query<E> }) &
  ([Body<E>] extends [void] ? { body?: never } : { body: Body<E> });

/**
 * Calls one operation of the OpenAPI document. The endpoint, parameters, body and answer are
 * all typed from schema.d.ts, so a path or field the server no longer has fails the build.
 */
function call<E extends Endpoint>(endpoint: E, ...[args]: object extends Args<E> ? [Args<E>?] : [Args<E>]): Promise<Success<E>> {
  const space = endpoint.indexOf(' ');
  const method = endpoint.slice(0, space) as Uppercase<Method>;
  const template: string = endpoint.slice(space + 1);
  const params = (args?.path ?? {}) as Record<string, string | number>;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries((args?.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const qs = query.toString();
  return request<Success<E>>(method, qs ? `${path}?${qs}` : path, args?.body);
}

async function request<T>(method: Uppercase<Method>, path: string, body?: unknown): Promise<T> {
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
    throw new ApiError(response.status, 'bad_response', i18n.global.t('errors.bad_response'));
  }
  return parsed as T;
}

export const api = {
  auth: {
    me: () => call('GET /api/auth/me').then((r) => r.user),
    login: (username: string, password: string) =>
      call('POST /api/auth/login', { body: { username, password } }).then((r) => r.user),
    logout: () => call('POST /api/auth/logout'),
    /** Signs out this account's other sessions; this one continues under a new cookie. */
    changePassword: (currentPassword: string, newPassword: string) =>
      call('POST /api/auth/password', { body: { currentPassword, newPassword } }),
  },
  users: {
    list: () => call('GET /api/users'),
    /** Admins only; signs out every session of that account. */
    resetPassword: (id: number, password: string) => call('POST /api/users/{id}/password', { path: { id }, body: { password } }),
    create: (username: string, password: string, role: Role) => call('POST /api/users', { body: { username, password, role } }),
    remove: (id: number) => call('DELETE /api/users/{id}', { path: { id } }),
    setRole: (id: number, role: Role) => call('PATCH /api/users/{id}', { path: { id }, body: { role } }),
  },
  settings: {
    openingHours: () => call('GET /api/settings/opening-hours'),
    saveOpeningHours: (hours: OpeningHoursInput) => call('PUT /api/settings/opening-hours', { body: hours }),
    queueStatus: () => call('GET /api/queue-status'),
    cafe: () => call('GET /api/settings/cafe'),
    saveCafe: (settings: CafeSettingsInput) => call('PUT /api/settings/cafe', { body: settings }),
    /** `data`: the image file, base64 (PNG, JPEG or WebP; the server checks its bytes). */
    uploadLogo: (data: string) => call('PUT /api/settings/cafe/logo', { body: { data } }),
    removeLogo: () => call('DELETE /api/settings/cafe/logo'),
    closeOuts: () => call('GET /api/close-outs'),
  },
  history: {
    stats: (range: DateRange) => call('GET /api/history', { query: range }),
    audit: (filter: AuditFilter) => call('GET /api/audit', { query: filter }),
  },
  games: {
    list: () => call('GET /api/games'),
    get: (id: number) => call('GET /api/games/{id}', { path: { id } }),
    create: (input: GameInput) => call('POST /api/games', { body: input }),
    update: (id: number, patch: GamePatch) => call('PATCH /api/games/{id}', { path: { id }, body: patch }),
    remove: (id: number) => call('DELETE /api/games/{id}', { path: { id } }),
    /** `seenInUse`: the copies in use this screen showed, so a lost race is worded as one. */
    callNext: (id: number, seenInUse?: number) => call('POST /api/games/{id}/call-next', { path: { id }, body: { seenInUse } }),
  },
  reservations: {
    create: (gameId: number, input: ReservationInput) =>
      call('POST /api/games/{id}/reservations', { path: { id: gameId }, body: input }),
    list: (filter: { gameId?: number; status?: ReservationStatus; endedWithinMinutes?: number } = {}) => call('GET /api/reservations', { query: filter }),
    get: (id: number) => call('GET /api/reservations/{id}', { path: { id } }),
    update: (id: number, patch: ReservationPatch) => call('PATCH /api/reservations/{id}', { path: { id }, body: patch }),
    remove: (id: number) => call('DELETE /api/reservations/{id}', { path: { id } }),
    transition: (id: number, action: Exclude<Transition, 'extend-hold'>) => call(`POST /api/reservations/{id}/${action}`, { path: { id } }),
    /** More time for a called party: `minutes`, or the server's HOLD_EXTENSION_MINUTES. */
    extendHold: (id: number, minutes?: number) =>
      call('POST /api/reservations/{id}/extend-hold', { path: { id }, body: minutes === undefined ? {} : { minutes } }),
  },
  tickets: {
    get: (code: string) => call('GET /api/tickets/{code}', { path: { code } }),
    cancel: (code: string, secret: string) => call('POST /api/tickets/{code}/cancel', { path: { code }, body: { secret } }),
    subscribe: (code: string, secret: string, subscription: PushSubscriptionInput) =>
      call('POST /api/tickets/{code}/push', { path: { code }, body: { secret, subscription } }),
  },
  notifications: {
    options: () => call('GET /api/notifications/options'),
    /** Staff: the party's news once more, on every channel it has. */
    again: (reservationId: number) => call('POST /api/notifications', { body: { reservationId } }),
  },
  board: {
    get: () => call('GET /api/board'),
  },
  cafe: {
    get: () => call('GET /api/cafe'),
  },
  stats: {
    today: () => call('GET /api/stats/today'),
  },
};

/** The CSV downloads are plain links: the browser streams them to a file. */
/** (tests/client/api-contract.test.ts checks both paths are in the OpenAPI document.) */
export function csvDownloadUrl(what: 'reservations' | 'events', range: DateRange): string {
  return `/api/history/${what}.csv?${new URLSearchParams({ from: range.from, to: range.to }).toString()}`;
}
