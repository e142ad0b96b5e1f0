import * as z from 'zod';
import { MAX_ID, pathId } from '../../kernel/validation.ts';
import { isSafeText, isWebLink, type TicketTarget } from '../domain/profile.ts';

/**
 * Request shapes of the User service (ORIGINAL §6, messages of Appendix A). 400 for unknown fields
 * and wrong types, 422 naming the JSON field for everything else (see kernel/validation.ts). As in
 * the original, `null` for an optional field means "not given".
 */

const EMAIL_FORMAT = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;

const email = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'Email is required' : undefined) })
    .min(3)
    .max(255)
    .regex(EMAIL_FORMAT, 'Invalid email format');

const notBlank = (s: string) => s.trim().length > 0;

/** Drops keys whose value is null, as the original's binder did. */
const withoutNulls = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };

const socialMediaLinks = () =>
  z
    .string()
    .max(500)
    .refine(notBlank, { message: 'Social media links cannot be empty string', abort: true })
    .refine(isWebLink, { message: 'must be an http or https URL' })
    .nullish();

/** A name: at most 100 characters, no control or bidirectional-override characters. */
const nameText = (label: string) =>
  z
    .string()
    .max(100, `${label} too long (max 100 characters)`)
    .refine(isSafeText, { message: `${label} must not contain control or bidirectional-override characters`, abort: true });

/** U1: the IDM's registration creates the profile of identity `id`, with the identity's e-mail. */
export const CreateProfileBody = z
  .strictObject({
    id: z.int().min(1, 'must be greater than 0').max(MAX_ID),
    email: email(),
    first_name: nameText('First name').nullish(),
    last_name: nameText('Last name').nullish(),
    social_media_links: socialMediaLinks(),
  })
  .transform(({ id, email, first_name, last_name, social_media_links }) => ({
    id,
    email,
    first_name: first_name ?? '',
    last_name: last_name ?? '',
    ...(social_media_links != null ? { social_media_links } : {}),
  }));

const name = (label: string) => nameText(label).refine(notBlank, { message: `${label} cannot be empty`, abort: true }).nullish();

/**
 * U3: every field optional; `{}` changes nothing. `email` is accepted only as the profile's own
 * (the identity's, in any case): the original SPA may send it back; changing it → 422.
 */
export const UpdateProfileBody = z
  .strictObject({
    email: email().nullish(),
    first_name: name('First name'),
    last_name: name('Last name'),
    social_media_links: socialMediaLinks(),
    first_name_private: z.boolean().nullish(),
    last_name_private: z.boolean().nullish(),
  })
  .transform(withoutNulls);

/** Purchase (U6): exactly one of `event_id` and `packet_id`. */
export const BuyTicketBody = z
  .strictObject({
    event_id: z.int().min(1, 'must be greater than 0').max(MAX_ID).nullish(),
    packet_id: z.int().min(1, 'must be greater than 0').max(MAX_ID).nullish(),
  })
  .superRefine((b, ctx) => {
    const given = (b.event_id != null ? 1 : 0) + (b.packet_id != null ? 1 : 0);
    if (given === 0) ctx.addIssue({ code: 'custom', path: ['event_id'], message: 'ticket must be associated with either a packet or an event' });
    if (given === 2) ctx.addIssue({ code: 'custom', path: ['packet_id'], message: 'ticket cannot be associated with both a packet and an event' });
  })
  .transform((b): TicketTarget => (b.event_id != null ? { event_id: b.event_id } : { packet_id: b.packet_id! }));

export const UserIdPath = z.strictObject({ id: pathId() });
export const ClientPath = z.strictObject({ user_id: pathId() });
export const ClientTicketPath = z.strictObject({
  user_id: pathId(),
  code: z.string().regex(/^(?!\.{1,2}$)[A-Za-z0-9._:-]{1,128}$/, 'must be a ticket code'),
});
export const EventIdPath = z.strictObject({ event_id: pathId() });
export const PacketIdPath = z.strictObject({ packet_id: pathId() });

/** Printable ASCII, as the IETF Idempotency-Key draft suggests (a UUID fits); else 400 INVALID_HEADER. */
export const BuyTicketHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters')
    .optional()
    .describe('Makes retries safe: the same key returns the first result and never buys twice'),
});
