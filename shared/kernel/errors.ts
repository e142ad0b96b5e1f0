/**
 * The one error type of the platform. Everything a client did wrong, and every fault, ends up as an
 * AppError, which the error middleware turns into `{"error", "code", "field"?}` with `status`.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** Extra response headers (e.g. Retry-After on 429). */
  readonly headers?: Record<string, string>;

  constructor(status: number, code: string, message: string, field?: string, headers?: Record<string, string>) {
    // A client error is an expected answer, not a fault: no stack trace to capture (V8 walks the
    // stack for every Error, and a sold-out sale makes one per request). Faults keep theirs.
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.headers = headers;
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
export const unsupportedMediaType = (message: string) => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', message);
export const unprocessable = (message: string, field?: string, code = 'VALIDATION_FAILED') =>
  new AppError(422, code, message, field);
export const tooManyRequests = (message: string, retryAfterSeconds: number, code = 'RATE_LIMITED') =>
  new AppError(429, code, message, undefined, { 'Retry-After': String(retryAfterSeconds) });
export const serviceUnavailable = (message: string, code = 'SERVICE_UNAVAILABLE') =>
  new AppError(503, code, message);

/** The body every unexpected fault gets: nothing internal (stack, SQL, host names) leaks out. */
export const internalError = () => new AppError(500, 'INTERNAL', 'Internal server error');
