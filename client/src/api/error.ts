import type { ErrorBody, ErrorDetail } from './types';

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

const fallbackMessages: Record<number, string> = {
  401: 'Please sign in.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with the current state.',
  413: 'That request is too large.',
  429: 'Too many requests, please wait a moment.',
  503: 'The service is temporarily unavailable. Please try again shortly.',
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
  const message = fallbackMessages[status] ?? `The server answered ${status}. Please try again.`;
  return new ApiError(status, status >= 500 ? 'unavailable' : 'error', message);
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

/** A sentence for a toast or alert, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'Cannot reach the server. Check the connection and try again.';
  if (error instanceof Error) return error.message;
  return String(error);
}
