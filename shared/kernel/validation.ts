import * as z from 'zod';
import { AppError, badRequest, unprocessable } from './errors.ts';

/**
 * Schema-driven validation with the status split of CONTRACT §2:
 *   unknown field, wrong JSON type            → 400 (the request is malformed)
 *   missing field, limits, formats, rules     → 422 (well-formed, but breaks a rule)
 * Messages always name the JSON field (F19). Each service words its 422s its own way (the original
 * SPA matches on them), see FieldMessageStyle.
 */

/** `em`: "seats: must be >= 1" (event manager, IDM); `us`: "validation error on field 'seats': …". */
export type FieldMessageStyle = 'em' | 'us';

export function fieldMessage(style: FieldMessageStyle, field: string, reason: string): string {
  return style === 'us' ? `validation error on field '${field}': ${reason}` : `${field}: ${reason}`;
}

/** Parses `input` with `schema`, or throws the AppError the first failing issue deserves. */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  style: FieldMessageStyle = 'em',
  where: 'body' | 'query' | 'path' | 'header' = 'body',
): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true, error: humanReason });
  if (result.success) return result.data;
  throw toAppError(result.error.issues[0]!, style, where);
}

function toAppError(issue: z.core.$ZodIssue, style: FieldMessageStyle, where: string): AppError {
  const field = fieldPath(issue.path);
  if (where === 'header') return badRequest(`invalid header ${field}: ${issue.message}`, field, 'INVALID_HEADER');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const name = field ? `${field}.${key}` : key;
    return where === 'body'
      ? badRequest(`json: unknown field "${name}"`, name, 'UNKNOWN_FIELD')
      : badRequest(`unknown query parameter: ${name}`, name, 'UNKNOWN_PARAMETER');
  }
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && !missing) {
    const expected = issue.code === 'invalid_type' ? issue.expected : 'one of the allowed shapes';
    return badRequest(`invalid value for field '${field}' (expected ${expected})`, field, 'INVALID_TYPE');
  }
  return unprocessable(fieldMessage(style, field, issue.message), field || undefined);
}

function fieldPath(path: PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** Human wording for the rules zod checks (a schema's own message wins over these). */
function humanReason(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be of type ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${issue.minimum} character${Number(issue.minimum) === 1 ? '' : 's'} long`
        : issue.origin === 'array'
          ? `must contain at least ${issue.minimum} item(s)`
          : `must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters long`
        : issue.origin === 'array'
          ? `must contain at most ${issue.maximum} item(s)`
          : `must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'email' ? 'must be a valid e-mail address' : `must match the ${issue.format} format`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return undefined;
  }
}

/** Integers that fit every store we use (PostgreSQL bigint, JSON, JS numbers). */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** A string that must look like an integer (query string / path segment) → number, else 400. */
const integerText = (value: unknown) =>
  typeof value === 'string' && /^[+-]?\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : value;

/** A positive integer id in a path segment: "abc" → 400, "0" → 422. */
export const pathId = () => z.preprocess(integerText, z.int().min(1, 'must be greater than 0').max(MAX_ID));

/** An integer query parameter, optionally bounded: "abc" → 400, out of bounds → 422. */
export const queryInt = (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(integerText, z.int().min(min).max(max));
