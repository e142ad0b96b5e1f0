/** An API answer that was not a success, carrying the body's `error` text (and `field`, `code`). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const NETWORK_ERROR = 'Cannot reach the server. Check your connection and try again.';

/** The body of an error answer as the API writes it: {"error","code","field"?}. */
export function apiError(status: number, body: unknown): ApiError {
  const b = (body ?? {}) as { error?: unknown; code?: unknown; field?: unknown };
  const text = typeof b.error === 'string' && b.error ? b.error : status >= 500 ? 'The service is unavailable right now. Please try again.' : 'The request was refused.';
  return new ApiError(text, status, typeof b.code === 'string' ? b.code : undefined, typeof b.field === 'string' ? b.field : undefined);
}

/** What to show a person for any failure: the API's own words when there are some. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return NETWORK_ERROR;
  return error instanceof Error && error.message ? error.message : 'Something went wrong.';
}

/** The message that belongs at form field `name`, if the error is about it. */
export const fieldError = (error: unknown, name: string): string | undefined =>
  error instanceof ApiError && error.field === name ? error.message : undefined;
