import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../shared/idm/domain/email.ts';
import { checkPassword } from '../../shared/idm/domain/password.ts';
import { registrationRole } from '../../shared/idm/domain/role.ts';
import { counterKeys } from '../../shared/idm/domain/throttle.ts';

const ok = (input: string, purpose: 'register' | 'login' = 'register') => {
  const result = normaliseEmail(input, purpose);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to be valid: ${result.reason}`);
  return result.email;
};
const reason = (input: string, purpose: 'register' | 'login' = 'register') => {
  const result = normaliseEmail(input, purpose);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be invalid, got ${result.email}`);
  return result.reason;
};

describe('e-mail normalisation (as the original gateway)', () => {
  it('trims, lower-cases the domain and keeps the local part as typed', () => {
    expect(ok('  Ana.Pop@Example.COM \t')).toBe('Ana.Pop@example.com');
  });

  it('lower-cases the RFC 2142 role mailboxes only', () => {
    expect(ok('Support@Example.com')).toBe('support@example.com');
    expect(ok('POSTMASTER@example.com')).toBe('postmaster@example.com');
    expect(ok('Supporter@example.com')).toBe('Supporter@example.com');
  });

  it('accepts the "Name <addr>" form', () => {
    expect(ok('Ana Pop <Ana@Example.com>')).toBe('Ana@example.com');
    expect(ok('"Pop, Ana" <ana@example.com>')).toBe('ana@example.com');
  });

  it('normalises internationalised domains to lower-case Unicode', () => {
    expect(ok('ana@BÜCHER.example')).toBe('ana@bücher.example');
  });

  it('rejects special-use domains at registration but not at login', () => {
    for (const domain of ['system.local', 'localhost', 'x.test', 'a.invalid', 'abc.onion', '1.in-addr.arpa']) {
      expect(reason(`ana@${domain}`)).toContain('special-use or reserved name');
    }
    expect(ok('clients_service@system.local', 'login')).toBe('clients_service@system.local');
    expect(ok('admin@tix.test', 'login')).toBe('admin@tix.test');
  });

  it.each([
    ['', 'cannot be empty'],
    ['ana', 'must have an @-sign'],
    ['@example.com', 'something before the @-sign'],
    ['ana@', 'something after the @-sign'],
    ['.ana@example.com', 'cannot start with a period'],
    ['ana.@example.com', 'period immediately before the @-sign'],
    ['a..na@example.com', 'two periods in a row'],
    ['a na@example.com', 'invalid characters before the @-sign'],
    ['"ana"@example.com', 'invalid characters before the @-sign'],
    ['ana@example', 'It should have a period'],
    ['ana@example.123', 'not within a valid top-level domain'],
    ['ana@-example.com', 'hyphen'],
    ['ana@exa_mple.com', 'invalid characters'],
    ['ana@[127.0.0.1]', 'invalid characters'],
    ["x'; DROP TABLE users; --@example.com", 'invalid characters before the @-sign'],
    [`${'a'.repeat(65)}@example.com`, 'too long before the @-sign'],
  ])('rejects %j (%s)', (input, expected) => {
    expect(reason(input)).toContain(expected);
  });

  it('limits the length to 255 characters', () => {
    expect(reason('a'.repeat(10_000))).toBe('must be at most 255 characters long');
    const address255 = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`;
    expect(address255).toHaveLength(255);
    expect(reason(address255)).toContain('The email address is too long (1 characters too many)');
    expect(ok(address255.slice(1))).toHaveLength(254);
  });
});

describe('password rule', () => {
  it('accepts 1..72 bytes', () => {
    expect(checkPassword('x')).toEqual({ ok: true });
    expect(checkPassword('x'.repeat(72))).toEqual({ ok: true });
  });

  it('rejects empty passwords', () => {
    expect(checkPassword('')).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
  });

  it('rejects more than 72 bytes with its own code, counting UTF-8 bytes', () => {
    expect(checkPassword('x'.repeat(73))).toMatchObject({ ok: false, code: 'PASSWORD_TOO_LONG' });
    expect(checkPassword('ă'.repeat(37))).toMatchObject({ ok: false, code: 'PASSWORD_TOO_LONG' }); // 74 bytes
    expect(checkPassword('ă'.repeat(36))).toEqual({ ok: true }); // 72 bytes
  });

  it('a new password needs 8 characters (F18), a login only 1', () => {
    expect(checkPassword('seven-7', 'new')).toMatchObject({ ok: false, code: 'PASSWORD_TOO_SHORT', reason: 'must be at least 8 characters long' });
    expect(checkPassword('eight-8!', 'new')).toEqual({ ok: true });
    expect(checkPassword('ăăăăăăăă', 'new')).toEqual({ ok: true }); // characters, not bytes
    expect(checkPassword('x', 'login')).toEqual({ ok: true });
  });

  it('keeps the 255-character limit of the original', () => {
    expect(checkPassword('x'.repeat(256))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', reason: 'must be at most 255 characters long' });
  });
});

describe('registration roles', () => {
  it('maps client and owner, nothing else', () => {
    expect(registrationRole('client')).toBe('client');
    expect(registrationRole('owner')).toBe('owner-event');
    for (const other of ['owner-event', 'admin', 'serviciu_clienti', '', 'Client', 'toString', '__proto__']) {
      expect(registrationRole(other)).toBeUndefined();
    }
  });
});

describe('throttle rule', () => {
  it('counts e-mails case-insensitively and IPv4-mapped addresses as IPv4', () => {
    expect(counterKeys({ email: 'Ana@Example.com', ip: '::ffff:10.0.0.1' })).toEqual([
      { scope: 'email', id: 'ana@example.com' },
      { scope: 'ip', id: '10.0.0.1' },
    ]);
  });
});
