import { unsupportedMediaType } from '../../kernel/errors.ts';
import { type ApiMiddleware, header } from './types.ts';

/** `application/json`, with any parameters (`; charset=utf-8`, as browsers and the original SPA send). */
const JSON_MEDIA_TYPE = /^\s*application\/json\s*(;|$)/i;

/**
 * JSON routes read JSON only: a request that carries a body must say `application/json`, else 415
 * whatever the body looks like (a form, text or XML is never guessed at). A request without a body
 * (GET, DELETE, a logout by header) needs no Content-Type. In the function, not the gateway, so
 * that API Gateway and the local runtime answer alike.
 */
export const jsonContentType = (): ApiMiddleware => ({
  before: (request) => {
    const { body } = request.event;
    if (body == null || body === '') return;
    const type = header(request.event, 'content-type');
    if (type === undefined || !JSON_MEDIA_TYPE.test(type)) {
      throw unsupportedMediaType(`Content-Type must be application/json${type === undefined ? ' (none was given)' : `, not ${type.split(';')[0]!.trim()}`}`);
    }
  },
});
