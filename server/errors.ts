export interface ErrorDetail {
  path: string;
  message: string;
  /** A field refusal with a sentence of its own (FIELD_CODES); absent: the field's message is all there is. */
  code?: FieldCode;
  params?: ErrorParams;
}

export type ErrorParams = Record<string, string | number>;

interface CodeRule {
  /**
   * A sentence that cannot name what went wrong (the status's general code; `queue_closed`,
   * whose message is the café's own): the client shows the server's message in English.
   */
  general?: true;
  status: number;
  /** The values the sentence needs, sent as the body's `params` (docs/API.md#errors). */
  params: readonly string[];
  /** When a person meets it (docs, the OpenAPI document). */
  when: string;
}

/**
 * Every code an error body can carry: the one list the handler, the OpenAPI document
 * (`ErrorCode`), docs/API.md and the client's catalogues (`errors.<code>`, checked by
 * tests/client/i18n.test.ts) follow. A refusal a person can meet has a code of its own and
 * sends the values its sentence needs as `params`, so the client can say it in the reader's
 * language; the English `message` stays for API users and logs. The general codes of each
 * status are kept for what needs no sentence of its own (a malformed body, an unknown route).
 */
export const ERROR_CODES = {
  // 400
  validation_failed: { general: true, status: 400, params: [], when: 'a path, query or body field is invalid (one `details` entry per field), or the body is not valid JSON' },
  party_too_large: { status: 400, params: ['title', 'max'], when: 'a party larger than the game seats joins or is edited to that size' },
  wrong_current_password: { status: 400, params: [], when: 'changing your own password with a wrong current one' },
  texts_off: { status: 400, params: [], when: 'a phone number for text messages where the café sends none' },
  push_service_refused: { status: 400, params: [], when: 'a push subscription at a push service the café does not send to' },
  // 401
  unauthenticated: { general: true, status: 401, params: [], when: 'a staff endpoint without a session' },
  bad_credentials: { status: 401, params: [], when: 'a failed sign-in (the same for an unknown user and a wrong password)' },
  metrics_token: { status: 401, params: [], when: '`/metrics` without the metrics token' },
  // 403
  forbidden: { general: true, status: 403, params: [], when: 'not allowed (no more precise code applies)' },
  admin_only: { status: 403, params: [], when: 'a staff user on an admin endpoint (or Bull Board)' },
  wrong_ticket_secret: { status: 403, params: [], when: 'a ticket cancel or subscription with a secret that is not the ticket’s' },
  metrics_remote: { status: 403, params: [], when: '`/metrics` from another machine while `METRICS_TOKEN` is unset' },
  cross_site: { status: 403, params: [], when: 'a state change a browser sent from another origin' },
  // 404
  not_found: { general: true, status: 404, params: [], when: 'no such route' },
  game_not_found: { status: 404, params: [], when: 'no game with that id' },
  reservation_not_found: { status: 404, params: [], when: 'no reservation with that id' },
  ticket_not_found: { status: 404, params: [], when: 'no ticket with that code (or its code was released)' },
  user_not_found: { status: 404, params: [], when: 'no staff user with that id' },
  logo_not_found: { status: 404, params: [], when: 'no such logo file' },
  // 409
  conflict: { general: true, status: 409, params: [], when: 'the request conflicts with the current state (no more precise code applies)' },
  illegal_move: {
    status: 409,
    params: ['move', 'status'],
    when: 'a move the party’s status does not allow (`move`: the move, e.g. `no_show`; `status`: the party’s status, e.g. `seated`)',
  },
  no_free_copy: { status: 409, params: ['title', 'copies'], when: 'calling or seating a party while every copy of the game is in use' },
  called_elsewhere: {
    status: 409,
    params: ['code', 'name', 'title'],
    when: '*Call next* after another tablet (or auto-advance) took the last free copy moments ago: `code` and `name` are the party it called',
  },
  nobody_waiting: { status: 409, params: ['title'], when: '*Call next* with nobody waiting' },
  already_first: { status: 409, params: [], when: 'moving up the first waiting party' },
  already_last: { status: 409, params: [], when: 'moving down the last waiting party' },
  revert_window_passed: { status: 409, params: ['minutes'], when: 'putting a finished party back to seated after the revert window (`minutes` long)' },
  ticket_released: { status: 409, params: [], when: 'bringing back a party whose ticket ended over a day ago (its code was released)' },
  already_seated: { status: 409, params: [], when: 'a customer cancelling a ticket that is already seated' },
  notify_not_live: { status: 409, params: [], when: 'notifying a party that is neither waiting nor called' },
  no_contact: { status: 409, params: [], when: 'notifying a party with no push subscription and no phone number' },
  ticket_ended: { status: 409, params: [], when: 'subscribing an ended ticket to notifications' },
  game_title_taken: { status: 409, params: ['title'], when: 'adding or renaming a game to a title another game has' },
  players_out_of_order: { status: 409, params: ['min', 'max'], when: 'a game change that leaves `minPlayers` above `maxPlayers`' },
  game_has_parties: { status: 409, params: ['title', 'parties'], when: 'deleting a game with waiting, called or seated parties' },
  username_taken: { status: 409, params: ['username'], when: 'a staff account with a username that exists' },
  cannot_delete_self: { status: 409, params: [], when: 'deleting your own account' },
  cannot_change_own_role: { status: 409, params: [], when: 'changing your own role' },
  cannot_reset_own_password: { status: 409, params: [], when: 'resetting your own password (change it with the current one instead)' },
  queue_closed: { general: true, status: 409, params: [], when: 'a customer’s join outside the opening hours (or after the last join); the message is the café’s, with when the queue opens again' },
  game_unavailable: { status: 409, params: ['title'], when: 'a join for a game that is switched off or has no copy to lend' },
  queue_full: { status: 409, params: ['title', 'max'], when: 'a join beyond the game’s `maxQueue`' },
  already_in_queue: { status: 409, params: ['code', 'title'], when: 'this phone already holds a live ticket for the game; `details` name it (`existingCode`) too' },
  // 413
  payload_too_large: { general: true, status: 413, params: [], when: 'the body is too large' },
  logo_too_large: { status: 413, params: ['kib', 'maxKib'], when: 'a logo over the size limit' },
  // 415
  unsupported_media_type: { general: true, status: 415, params: [], when: 'the body is not UTF-8 JSON' },
  logo_svg: { status: 415, params: [], when: 'an SVG logo (it can carry scripts)' },
  logo_type: { status: 415, params: [], when: 'a logo that is not a PNG, JPEG or WebP image' },
  // 429: each says when to try again in `Retry-After` and in `seconds`
  rate_limited: { general: true, status: 429, params: [], when: 'too many requests (also Nginx’s answer at the edge)' },
  too_many_joins: { status: 429, params: ['seconds', 'limit'], when: 'more than `limit` joins a minute from one device or network' },
  too_many_sign_ins: { status: 429, params: ['seconds'], when: 'too many failed sign-ins' },
  too_many_ticket_misses: { status: 429, params: ['seconds', 'limit'], when: 'more than `limit` unknown ticket codes a minute from one network' },
  notified_recently: { status: 429, params: ['seconds'], when: 'notifying a party again moments after the last notice' },
  // 500, 503
  internal: { general: true, status: 500, params: [], when: 'a bug on the server' },
  unavailable: { general: true, status: 503, params: [], when: 'MySQL or Redis cannot be reached (logged; `Retry-After: 5`)' },
  queue_busy: { status: 503, params: [], when: 'the queue stayed deadlocked after a few retries' },
  no_ticket_code: { status: 503, params: [], when: 'no free ticket code could be drawn' },
} as const satisfies Record<string, CodeRule>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/**
 * Codes of a field's refusal inside a `validation_failed` body (`details[].code`), for the
 * refusals a form shows beside its field; the other details carry only a message.
 */
export const FIELD_CODES = {
  accent_contrast: { params: ['colour', 'ratio', 'min'], when: 'white text on the accent colour falls below the WCAG AA contrast (`ratio`, `min`: numbers such as `1.87` and `4.5`)' },
  unknown_time_zone: { params: [], when: 'a time zone that is not an IANA name' },
  public_url: { params: [], when: 'a public address that is not scheme and host only' },
} as const satisfies Record<string, Omit<CodeRule, 'status'>>;

export type FieldCode = keyof typeof FIELD_CODES;
export const FIELD_CODE_LIST = Object.keys(FIELD_CODES) as FieldCode[];

type FieldParamsOf<C extends FieldCode> = Record<(typeof FIELD_CODES)[C]['params'][number], string | number>;

/**
 * What a zod refinement gives for a field refusal with a code: `.refine(check, fieldIssue(…))`
 * or `addIssue({ code: 'custom', ...fieldIssue(…) })`; the route's validation turns it into a
 * `details` entry with `code` and `params`.
 */
export function fieldIssue<C extends FieldCode>(
  code: C,
  message: string,
  ...[params]: (typeof FIELD_CODES)[C]['params'] extends readonly [] ? [] : [FieldParamsOf<C>]
): { message: string; params: { fieldCode: C; values: ErrorParams } } {
  return { message, params: { fieldCode: code, values: params ?? {} } };
}

/** The field code and params a zod issue carries (see fieldIssue), if any. */
export function fieldCodeOf(issue: { code: string; params?: Record<string, unknown> }): { code?: FieldCode; params?: ErrorParams } {
  const fieldCode = issue.code === 'custom' ? issue.params?.fieldCode : undefined;
  if (typeof fieldCode !== 'string' || !(fieldCode in FIELD_CODES)) return {};
  return { code: fieldCode as FieldCode, params: (issue.params?.values as ErrorParams | undefined) ?? {} };
}

type ParamsOf<C extends ErrorCode> = Record<(typeof ERROR_CODES)[C]['params'][number], string | number>;
type CodesWithStatus<S extends number> = { [C in ErrorCode]: (typeof ERROR_CODES)[C]['status'] extends S ? C : never }[ErrorCode];

/** A precise code of status `S` with exactly the params its sentence needs (none: no `params`). */
export type Precise<S extends number> = {
  [C in CodesWithStatus<S>]: (typeof ERROR_CODES)[C]['params'] extends readonly [] ? { code: C; params?: undefined } : { code: C; params: ParamsOf<C> };
}[CodesWithStatus<S>];

export interface ErrorOptions<S extends number> {
  details?: ErrorDetail[];
  /** Without one, the status's general code. */
  precise?: Precise<S>;
}

/** Base for errors whose meaning maps to one HTTP status (docs/API.md#errors). */
export abstract class AppError extends Error {
  abstract readonly status: number;
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly details: ErrorDetail[];

  protected constructor(message: string, general: ErrorCode, options: { details?: ErrorDetail[]; precise?: { code: ErrorCode; params?: ErrorParams } } = {}) {
    super(message);
    this.name = new.target.name;
    this.code = options.precise?.code ?? general;
    this.params = options.precise?.params ?? {};
    this.details = options.details ?? [];
  }
}

export class ValidationFailed extends AppError {
  readonly status = 400;
  constructor(message: string, options: ErrorOptions<400> = {}) {
    super(message, 'validation_failed', options);
  }
}
export class Unauthenticated extends AppError {
  readonly status = 401;
  constructor(message = 'Sign in as staff to do this', options: ErrorOptions<401> = {}) {
    super(message, 'unauthenticated', options);
  }
}
export class Forbidden extends AppError {
  readonly status = 403;
  constructor(message: string, options: ErrorOptions<403> = {}) {
    super(message, 'forbidden', options);
  }
}
export class NotFound extends AppError {
  readonly status = 404;
  constructor(message: string, options: ErrorOptions<404> = {}) {
    super(message, 'not_found', options);
  }
}
export class Conflict extends AppError {
  readonly status = 409;
  constructor(message: string, options: ErrorOptions<409> = {}) {
    super(message, 'conflict', options);
  }
}
export class PayloadTooLarge extends AppError {
  readonly status = 413;
  constructor(message: string, options: ErrorOptions<413> = {}) {
    super(message, 'payload_too_large', options);
  }
}
export class UnsupportedMediaType extends AppError {
  readonly status = 415;
  constructor(message: string, options: ErrorOptions<415> = {}) {
    super(message, 'unsupported_media_type', options);
  }
}
export class RateLimited extends AppError {
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    precise: Precise<429> = { code: 'rate_limited' },
  ) {
    super(message, 'rate_limited', { precise });
  }
}
export class Unavailable extends AppError {
  readonly status = 503;
  constructor(message: string, options: ErrorOptions<503> = {}) {
    super(message, 'unavailable', options);
  }
}
