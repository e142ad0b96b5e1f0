import { AppError, internalError } from '../../kernel/errors.ts';
import { ConfigError } from '../../kernel/config.ts';
import { log } from '../../kernel/request-context.ts';
import type { ApiMiddleware } from './types.ts';

/**
 * Turns any error into `{"error","code","field"?}` (IDM routes add `detail`, F21). Client errors keep their message; anything else
 * is logged with its detail and answered with a bare 500 (no stack, SQL or host names leak out).
 */
export const errorResponse = (): ApiMiddleware => ({
  onError: (request) => {
    const error = request.error;
    let appError: AppError;
    if (error instanceof AppError) {
      appError = error;
      if (appError.status >= 500) log().error('request failed', { code: appError.code, error: appError.message });
    } else {
      log().error(error instanceof ConfigError ? 'configuration error' : 'unhandled error', { error: error as Error });
      appError = internalError();
    }
    const body: Record<string, unknown> = { ...appError.toBody() };
    // CONTRACT F21: the original SPA shows the IDM's `detail`, as the original gateway sent it.
    if (request.context.route?.service === 'idm') body.detail = body.error;
    request.response = {
      statusCode: appError.status,
      headers: { 'Content-Type': 'application/json; charset=utf-8', ...appError.headers },
      body: JSON.stringify(body),
    };
  },
});
