import type { ErrorBody, ErrorDetail } from './types';
import { i18n } from '../i18n';

const t = i18n.global.t;
const te = i18n.global.te;

/** The API's error body (docs/API.md#errors) as a throwable, so screens can show `message` and per-field `details`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

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
    const { code, message, details } = body.error;
    return new ApiError(status, code ?? 'error', message, Array.isArray(details) ? details : []);
  }
  const code = statusCodes[status] ?? (status >= 500 ? 'unavailable' : 'error');
  const message = statusCodes[status] ? t(`errors.${code}`) : t('errors.status', { status });
  return new ApiError(status, code, message);
}

/** Field path → message, for showing validation details next to inputs. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const detail of error.details) {
      const key = detail.path.split('.').pop() ?? detail.path;
      out[key] ??= detail.message;
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
 * The sentence for an API error in the active language, by its code (docs/API.md#errors);
 * the server's own message for a code the catalogues do not know. English keeps the server's
 * message, which names the game, party or field, where the code alone is generic.
 */
export function translatedMessage(error: ApiError): string {
  const key = `errors.${error.code}`;
  if (i18n.global.locale.value === 'en' || !te(key)) return error.message || (te(key) ? t(key) : '');
  return t(key);
}

/** A sentence for a toast or alert, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return translatedMessage(error);
  if (error instanceof TypeError) return t('errors.network');
  if (error instanceof Error) return error.message;
  return String(error);
}
