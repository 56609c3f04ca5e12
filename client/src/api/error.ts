import type { ErrorBody, ErrorDetail } from './types';
import { i18n } from '../i18n';

const t = i18n.global.t;
const te = i18n.global.te;

export type ErrorParams = Record<string, string | number>;

/** The API's error body (docs/API.md#errors) as a throwable, so screens can show `message` and per-field `details`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** The values the code's sentence needs (`errors.<code>` placeholders). */
  readonly params: ErrorParams;

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = [], params: ErrorParams = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.params = params;
  }
}

const isParams = (value: unknown): value is ErrorParams =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number');

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** The code an answer without the contract's body stands for. */
const statusCodes: Record<number, string> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * Turns any failed response into an ApiError. Proxies and crashed upstreams answer with
 * HTML or nothing, so a body that is not the contract's shape still yields a readable message.
 */
export function toApiError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) {
    const { code, message, details, params } = body.error;
    return new ApiError(status, code ?? 'error', message, Array.isArray(details) ? details : [], isParams(params) ? params : {});
  }
  const code = statusCodes[status] ?? (status >= 500 ? 'unavailable' : 'error');
  const message = statusCodes[status] ? t(`errors.${code}`) : t('errors.status', { status });
  return new ApiError(status, code, message);
}

/**
 * The general codes (`general` in server/errors.ts; tests/client/i18n.test.ts keeps the two
 * equal): their sentence cannot name what went wrong, so English keeps the server's message,
 * which can; other languages say the general sentence. Every other code is precise and said
 * from the catalogue with its params.
 */
export const GENERAL_CODES: ReadonlySet<string> = new Set(['validation_failed', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'unsupported_media_type', 'rate_limited', 'unavailable', 'internal', 'queue_closed']);

/** The server's moves whose button has another name (the rest: `no_show` → `no-show`). */
const MOVE_ACTIONS: Record<string, string> = { wrap_up: 'wrapping-up' };

/**
 * A value of the sentence as the reader says it: a party's status and a move in the catalogue's
 * words, a number in the language's digits; names and titles as they are.
 */
function spoken(name: string, value: string | number): string {
  if (typeof value === 'number') return new Intl.NumberFormat(i18n.global.locale.value).format(value);
  if (name === 'status' && te(`status.${value}`)) return t(`status.${value}`);
  const move = `actions.name.${MOVE_ACTIONS[value] ?? value.replace(/_/g, '-')}`;
  if (name === 'move') return te(move) ? t(move) : t('errorWords.someMove');
  return value;
}

/** The sentence of a precise code with its params in the active language, or null when the catalogues have none. */
function sentence(code: string | undefined, params: ErrorParams | undefined): string | null {
  const key = `errors.${code}`;
  if (!code || !te(key)) return null;
  const words = Object.fromEntries(Object.entries(params ?? {}).map(([name, value]) => [name, spoken(name, value)]));
  return t(key, words);
}

/**
 * Field path → message, for showing validation details next to inputs, in the reader's
 * language: a detail's own code, else the sentence of a precise refusal about that field
 * (`party_too_large` beside the party size), else the server's words.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) {
    const whole = GENERAL_CODES.has(error.code) ? null : sentence(error.code, error.params);
    for (const detail of error.details) {
      const key = detail.path.split('.').pop() ?? detail.path;
      out[key] ??= sentence(detail.code, detail.params) ?? whole ?? detail.message;
    }
  }
  return out;
}

/**
 * Splits an error for a form: details about fields the form shows go beside those fields,
 * everything else becomes one message above the submit button (null when nothing is left).
 */
export function formErrors(
  error: unknown,
  fields: readonly string[],
): { fields: Record<string, string>; message: string | null } {
  const byField = fieldErrors(error);
  const shown: Record<string, string> = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(byField)) {
    if (fields.includes(path)) shown[path] = message;
    else rest.push(`${path}: ${message}`);
  }
  if (Object.keys(shown).length > 0 && rest.length === 0) return { fields: shown, message: null };
  return { fields: shown, message: [errorMessage(error), ...rest].join(' ') };
}

/**
 * The sentence for an API error in the active language, by its code and params
 * (docs/API.md#errors); the server's own message for a code the catalogues do not know.
 */
export function translatedMessage(error: ApiError): string {
  const general = GENERAL_CODES.has(error.code) || !te(`errors.${error.code}`);
  if (general && (i18n.global.locale.value === 'en' || !te(`errors.${error.code}`)) && error.message) return error.message;
  return sentence(error.code, error.params) ?? t('errors.error');
}

/** A sentence for a toast or alert, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return translatedMessage(error);
  if (error instanceof TypeError) return t('errors.network');
  if (error instanceof Error) return error.message;
  return String(error);
}
