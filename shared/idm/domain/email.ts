import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * E-mail validation and normalisation as the original gateway did it (pydantic EmailStr over
 * python-email-validator, ORIGINAL §4): surrounding spaces stripped, `Name <addr>` accepted, the
 * local part kept as typed except the RFC 2142 role mailboxes (lower-cased), the domain lower-cased
 * (IDNA), dot-atom syntax only, a domain with a dot and a non-numeric top-level label.
 * Special-use domains are rejected where an address is created (registration) but not where one is
 * used (login), because the seeded service account lives at `system.local`.
 */

export type EmailPurpose = 'register' | 'login';
export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

export const EMAIL_MAX_CHARS = 255;
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
const MAX_DOMAIN_LENGTH = 253;

/** RFC 2142 mailbox names, compared case-insensitively (email-validator lower-cases them). */
const ROLE_MAILBOXES = new Set([
  'info', 'marketing', 'sales', 'support', 'abuse', 'noc', 'security', 'postmaster', 'hostmaster',
  'usenet', 'news', 'webmaster', 'www', 'uucp', 'ftp',
]);

/** RFC 6761 / 7686 special-use names: never deliverable, so nobody registers there. */
export const SPECIAL_USE_DOMAINS = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'] as const;

/** `Display Name <addr>` or `"Quoted Name" <addr>` (pydantic's pretty e-mail form). */
const PRETTY = /^\s*(?:(?:[\p{L}\p{N}_!#$%&'*+\-/=?^`{|}~]+\s+)*[\p{L}\p{N}_!#$%&'*+\-/=?^`{|}~]+|"(?:[^"\\]|\\.)+")?\s*<(.+)>\s*$/u;
/** Dot-atom text: RFC 5322 atext plus any non-ASCII character except spaces and controls (SMTPUTF8). */
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+$/u;
const UNSAFE = /[\p{Cc}\p{Cf}\p{Z}\p{Cs}\p{Co}\p{Cn}]/u;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const fail = (reason: string): EmailCheck => ({ ok: false, reason: `value is not a valid email address: ${reason}` });

export function normaliseEmail(input: string, purpose: EmailPurpose): EmailCheck {
  if ([...input].length > EMAIL_MAX_CHARS) return { ok: false, reason: `must be at most ${EMAIL_MAX_CHARS} characters long` };
  const address = (PRETTY.exec(input)?.[1] ?? input).trim();
  if (!address) return fail('An email address cannot be empty.');
  const at = address.lastIndexOf('@');
  if (at < 0) return fail('An email address must have an @-sign.');

  const local = checkLocalPart(address.slice(0, at));
  if (!local.ok) return local;
  const domain = checkDomain(address.slice(at + 1), purpose);
  if (!domain.ok) return domain;

  const email = `${local.email}@${domain.email}`;
  if ([...email].length > MAX_ADDRESS_LENGTH) {
    return fail(`The email address is too long (${[...email].length - MAX_ADDRESS_LENGTH} characters too many).`);
  }
  return { ok: true, email };
}

function checkLocalPart(raw: string): EmailCheck {
  if (!raw) return fail('There must be something before the @-sign.');
  const local = raw.normalize('NFC');
  if ([...local].length > MAX_LOCAL_LENGTH) {
    return fail(`The email address is too long before the @-sign (${[...local].length - MAX_LOCAL_LENGTH} characters too many).`);
  }
  if (local.startsWith('.')) return fail('An email address cannot start with a period.');
  if (local.endsWith('.')) return fail('An email address cannot have a period immediately before the @-sign.');
  if (local.includes('..')) return fail('An email address cannot have two periods in a row.');
  if (UNSAFE.test(local) || !local.split('.').every((atom) => ATOM.test(atom))) {
    return fail('The email address contains invalid characters before the @-sign.');
  }
  return { ok: true, email: ROLE_MAILBOXES.has(local.toLowerCase()) ? local.toLowerCase() : local };
}

function checkDomain(raw: string, purpose: EmailPurpose): EmailCheck {
  if (!raw) return fail('There must be something after the @-sign.');
  if (raw.startsWith('.')) return fail('An email address cannot have a period immediately after the @-sign.');
  if (raw.endsWith('.')) return fail('An email address cannot end with a period.');
  if (raw.includes('..')) return fail('An email address cannot have two periods in a row.');
  if (UNSAFE.test(raw) || raw.startsWith('[')) return fail('The part after the @-sign contains invalid characters.');

  // ASCII domains are lower-cased; internationalised ones go through UTS #46 (as the `idna` package).
  const ascii = /^[\x20-\x7e]*$/.test(raw) ? raw.toLowerCase() : domainToASCII(raw.normalize('NFC'));
  if (!ascii) return fail('The part after the @-sign is not valid IDNA.');
  if (ascii.length > MAX_DOMAIN_LENGTH) return fail('The email address is too long after the @-sign.');
  // Before the other domain rules, as email-validator does: `ana@localhost` is special-use, not "without a period".
  if (purpose === 'register' && isSpecialUse(ascii)) {
    return fail('The part after the @-sign is a special-use or reserved name that cannot be used with email.');
  }
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length > 63) return fail('The part after the @-sign has a label that is too long.');
    if (label.startsWith('-') || label.endsWith('-')) {
      return fail('An email address cannot have a hyphen immediately after the @-sign or a period, or before a period.');
    }
    if (!LABEL.test(label)) return fail('The part after the @-sign contains invalid characters.');
  }
  if (labels.length < 2) return fail('The part after the @-sign is not valid. It should have a period.');
  if (/^\d+$/.test(labels.at(-1)!)) return fail('The part after the @-sign is not valid. It is not within a valid top-level domain.');
  return { ok: true, email: ascii === raw.toLowerCase() ? ascii : domainToUnicode(ascii) };
}

export const isSpecialUse = (domain: string) =>
  SPECIAL_USE_DOMAINS.some((name) => domain === name || domain.endsWith(`.${name}`));
