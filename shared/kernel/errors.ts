/**
 * The one error type of the platform. Everything a client did wrong, and every fault, ends up as an
 * AppError, which the error middleware turns into `{"error", "code", "field"?}` with `status`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Extra response headers (e.g. Retry-After on 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return this.field === undefined
      ? { error: this.message, code: this.code }
      : { error: this.message, code: this.code, field: this.field };
  }
}

export interface ErrorBody {
  error: string;
  code: string;
  field?: string;
}

export const badRequest = (message: string, field?: string, code = 'BAD_REQUEST') =>
  new AppError(400, code, message, field);
export const unauthorized = (message = 'invalid or expired token', code = 'UNAUTHORIZED') =>
  new AppError(401, code, message);
export const forbidden = (message: string, code = 'FORBIDDEN') => new AppError(403, code, message);
export const notFound = (message: string, code = 'NOT_FOUND') => new AppError(404, code, message);
export const conflict = (message: string, code = 'CONFLICT') => new AppError(409, code, message);
export const payloadTooLarge = (message: string) => new AppError(413, 'PAYLOAD_TOO_LARGE', message);
export const unprocessable = (message: string, field?: string, code = 'VALIDATION_FAILED') =>
  new AppError(422, code, message, field);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, 'RATE_LIMITED', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
export const serviceUnavailable = (message: string, code = 'SERVICE_UNAVAILABLE') =>
  new AppError(503, code, message);

/** The body every unexpected fault gets: nothing internal (stack, SQL, host names) leaks out. */
export const internalError = () => new AppError(500, 'INTERNAL', 'Internal server error');
