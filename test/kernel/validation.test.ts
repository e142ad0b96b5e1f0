import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AppError } from '../../shared/kernel/errors.ts';
import { pathId, queryInt, validate } from '../../shared/kernel/validation.ts';

const Body = z.strictObject({
  name: z.string().min(1).max(10),
  seats: z.int().min(1).optional(),
  email: z.email().optional(),
  nested: z.strictObject({ flag: z.boolean() }).optional(),
});

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a validation error');
}

describe('validate: the 400 / 422 split of CONTRACT §2', () => {
  it('passes valid input through, typed', () => {
    expect(validate(Body, { name: 'Rock', seats: 3 })).toEqual({ name: 'Rock', seats: 3 });
  });

  it('unknown field → 400 naming it', () => {
    const e = failure(() => validate(Body, { name: 'a', Name: 'b' }));
    expect([e.status, e.code, e.message, e.field]).toEqual([400, 'UNKNOWN_FIELD', 'json: unknown field "Name"', 'Name']);
  });

  it('unknown nested field → 400 with its path', () => {
    const e = failure(() => validate(Body, { name: 'a', nested: { flag: true, x: 1 } }));
    expect(e.message).toBe('json: unknown field "nested.x"');
  });

  it('wrong JSON type → 400 naming the JSON field', () => {
    const e = failure(() => validate(Body, { name: 'a', seats: '3' }));
    expect([e.status, e.code, e.field]).toEqual([400, 'INVALID_TYPE', 'seats']);
    expect(e.message).toBe("invalid value for field 'seats' (expected number)");
  });

  it('a float where an integer belongs is a wrong type', () => {
    expect(failure(() => validate(Body, { name: 'a', seats: 1.5 })).status).toBe(400);
  });

  it('a non-object body → 400', () => {
    for (const body of [[], 'x', 3, null]) expect(failure(() => validate(Body, body)).status).toBe(400);
  });

  it('missing required field → 422 "is required"', () => {
    const e = failure(() => validate(Body, {}));
    expect([e.status, e.code, e.message, e.field]).toEqual([422, 'VALIDATION_FAILED', 'name: is required', 'name']);
  });

  it('limits → 422 naming the JSON field (not a Go struct field)', () => {
    expect(failure(() => validate(Body, { name: 'a', seats: 0 })).message).toBe('seats: must be >= 1');
    expect(failure(() => validate(Body, { name: 'x'.repeat(10_000) })).message).toBe('name: must be at most 10 characters long');
    expect(failure(() => validate(Body, { name: '' })).message).toBe('name: must be at least 1 character long');
    expect(failure(() => validate(Body, { name: 'a', email: 'nope' })).message).toBe('email: must be a valid e-mail address');
  });

  it("the user manager's wording", () => {
    const e = failure(() => validate(Body, { name: 'a', seats: 0 }, 'us'));
    expect(e.message).toBe("validation error on field 'seats': must be >= 1");
  });

  it('unknown query parameter → 400', () => {
    const e = failure(() => validate(z.strictObject({ page: queryInt().optional() }), { pagee: '1' }, 'em', 'query'));
    expect([e.status, e.message]).toEqual([400, 'unknown query parameter: pagee']);
  });

  it('integer query parameters: text that is not a number → 400, a number is converted', () => {
    const Q = z.strictObject({ page: queryInt(1).optional() });
    expect(validate(Q, { page: '2' }, 'em', 'query')).toEqual({ page: 2 });
    expect(failure(() => validate(Q, { page: 'abc' }, 'em', 'query')).status).toBe(400);
    expect(failure(() => validate(Q, { page: '0' }, 'em', 'query')).status).toBe(422);
  });

  it('path ids: non-numeric → 400, zero or negative → 422, huge → 422', () => {
    const P = z.strictObject({ id: pathId() });
    expect(validate(P, { id: '42' }, 'em', 'path')).toEqual({ id: 42 });
    expect(failure(() => validate(P, { id: 'abc' }, 'em', 'path')).status).toBe(400);
    expect(failure(() => validate(P, { id: "1' OR '1'='1" }, 'em', 'path')).status).toBe(400);
    expect(failure(() => validate(P, { id: '0' }, 'em', 'path')).message).toBe('id: must be greater than 0');
    expect(failure(() => validate(P, { id: '-3' }, 'em', 'path')).status).toBe(422);
    expect(failure(() => validate(P, { id: '99999999999999999999' }, 'em', 'path')).status).toBe(400);
  });
});
