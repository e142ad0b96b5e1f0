import { badRequest, payloadTooLarge } from './errors.ts';

/** Largest request body any endpoint accepts (API Gateway itself stops at 10 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Decodes a request body strictly: one JSON value, nothing empty, nothing oversized.
 * Shape and field rules are the schema's job (see validation.ts).
 */
export function parseJsonBody(raw: string | null | undefined, isBase64Encoded = false): unknown {
  const text = raw == null ? '' : isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw payloadTooLarge(`request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  if (text.length === 0) throw badRequest('request body cannot be empty', undefined, 'EMPTY_BODY');
  if (text.trim().length === 0) throw badRequest('request body is empty', undefined, 'EMPTY_BODY');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`malformed JSON: ${(error as Error).message}`, undefined, 'MALFORMED_JSON');
  }
}
