export interface ErrorDetail {
  path: string;
  message: string;
}

/** Base for errors whose meaning maps to one HTTP status (docs/API.md#errors). */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details: ErrorDetail[];

  constructor(message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationFailed extends AppError {
  readonly status = 400;
  readonly code = 'validation_failed';
}
export class Unauthenticated extends AppError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  constructor(message = 'Sign in as staff to do this') {
    super(message);
  }
}
export class Forbidden extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
}
export class NotFound extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
}
export class Conflict extends AppError {
  readonly status = 409;
  /** `conflict`, or a more precise code a subclass gives (a customer's join refusals) */
  readonly code: string = 'conflict';
}
export class PayloadTooLarge extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}
export class UnsupportedMediaType extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}
export class RateLimited extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
export class Unavailable extends AppError {
  readonly status = 503;
  readonly code = 'unavailable';
}
