import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/kernel/errors.ts';
import { MAX_BODY_BYTES, parseJsonBody } from '../../shared/kernel/json-body.ts';

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

describe('parseJsonBody', () => {
  it('parses one JSON value', () => {
    expect(parseJsonBody('{"a":1}')).toEqual({ a: 1 });
  });

  it('decodes base64 bodies (binary media types)', () => {
    expect(parseJsonBody(Buffer.from('{"a":2}').toString('base64'), true)).toEqual({ a: 2 });
  });

  it('empty and blank bodies → 400', () => {
    expect(errorOf(() => parseJsonBody(null)).message).toBe('request body cannot be empty');
    expect(errorOf(() => parseJsonBody('   \n')).message).toBe('request body is empty');
    expect(errorOf(() => parseJsonBody('')).status).toBe(400);
  });

  it('malformed, truncated and trailing-garbage JSON → 400 MALFORMED_JSON', () => {
    for (const text of ['{"a":', '{a:1}', '{"a":1}}', '{"a":1} {"b":2}', "{'a':1}", 'nul']) {
      const e = errorOf(() => parseJsonBody(text));
      expect([e.status, e.code]).toEqual([400, 'MALFORMED_JSON']);
    }
  });

  it('a body over 1 MB → 413', () => {
    const big = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) });
    const e = errorOf(() => parseJsonBody(big));
    expect([e.status, e.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('__proto__ keys stay plain data (no prototype pollution)', () => {
    const parsed = parseJsonBody('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });
});
