import * as z from 'zod';

/**
 * The JSON shapes of successful answers, for the OpenAPI document (and the typed client generated
 * from it). They describe what shared/{events,users,idm}/http/representations build; a test parses
 * real answers with them (test/local/openapi-responses.test.ts), so the two cannot drift apart.
 */

const Link = z.object({ href: z.string(), rel: z.string(), method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), title: z.string() }).meta({ id: 'Link' });
const Links = z.record(z.string(), Link).meta({ id: 'Links' });

export const Event = z
  .object({
    id: z.int(),
    id_owner: z.int(),
    name: z.string(),
    location: z.string().optional(),
    description: z.string().optional(),
    seats: z.int().optional(),
    available_seats: z.int().optional().describe('seats left for direct sale (present when `seats` is)'),
    _links: Links,
  })
  .meta({ id: 'Event' });

export const Packet = z
  .object({
    id: z.int(),
    id_owner: z.int(),
    name: z.string(),
    location: z.string().nullable(),
    description: z.string().nullable(),
    allocated_seats: z.int().nullable(),
    available_seats: z.int().nullable().describe('seats left in the packet (null without an allocation)'),
    _links: Links,
  })
  .meta({ id: 'Packet' });

const PageMetadata = z.object({ page: z.int(), per_page: z.int(), total_items: z.int(), total_pages: z.int() }).meta({ id: 'PageMetadata' });

const Inclusion = z.object({ id_packet: z.int(), id_event: z.int(), _links: Links }).meta({ id: 'Inclusion' });

const EmTicket = z.object({ code: z.string(), packet_id: z.int().nullable(), event_id: z.int().nullable(), _links: Links }).meta({ id: 'EventManagerTicket' });

const TicketEntry = z.object({ code: z.string(), event_id: z.int().optional(), packet_id: z.int().optional() }).meta({ id: 'TicketEntry' });

export const User = z
  .object({
    id: z.int(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    social_media_links: z.string().optional(),
    ticket_list: z.array(TicketEntry).optional(),
    first_name_private: z.boolean(),
    last_name_private: z.boolean(),
    _links: Links,
  })
  .meta({ id: 'User' });

const Customer = z
  .object({
    id: z.int(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    social_media_links: z.string().optional(),
    first_name_private: z.boolean(),
    last_name_private: z.boolean(),
    _links: Links,
  })
  .meta({ id: 'Customer' });

const Summary = z.object({ id: z.int(), name: z.string(), location: z.string().nullish(), description: z.string().nullish() }).nullable();

export const TicketList = z
  .object({
    tickets: z.array(
      z.object({
        code: z.string(),
        event_id: z.int().optional(),
        packet_id: z.int().optional(),
        event: Summary.optional(),
        event_packet: Summary.optional(),
        _links: Links,
      }),
    ),
    _links: Links,
  })
  .meta({ id: 'TicketList' });

const LoggedIn = z
  .object({ success: z.boolean(), token: z.string(), message: z.string(), user_id: z.string(), role: z.string(), email: z.string() })
  .partial()
  .meta({ id: 'LoginResponse' });

const page = <K extends string>(key: K, item: z.ZodType) =>
  z.object({ [key]: z.array(item), _links: Links, _metadata: PageMetadata } as { [P in K]: z.ZodArray<z.ZodType> } & { _links: typeof Links; _metadata: typeof PageMetadata });

/** Successful answer of each handler: status and body (handlers not listed answer a free-form JSON object). */
export const RESPONSES: Record<string, { status: number; body: z.ZodType }> = {
  'events/create-event': { status: 201, body: z.object({ event: Event }) },
  'events/get-event': { status: 200, body: z.object({ event: Event }) },
  'events/update-event': { status: 200, body: z.object({ event: Event }) },
  'events/delete-event': { status: 200, body: z.object({ event: Event }) },
  'events/list-events': { status: 200, body: page('events', Event).meta({ id: 'EventPage' }) },
  'events/create-packet': { status: 201, body: z.object({ event_packet: Packet }) },
  'events/get-packet': { status: 200, body: z.object({ event_packet: Packet }) },
  'events/update-packet': { status: 200, body: z.object({ event_packet: Packet }) },
  'events/delete-packet': { status: 200, body: z.object({ event_packet: Packet }) },
  'events/list-packets': { status: 200, body: page('event_packets', Packet).meta({ id: 'PacketPage' }) },
  'events/create-inclusion': { status: 201, body: Inclusion },
  'events/delete-inclusion': { status: 200, body: Inclusion },
  'events/list-event-packets': { status: 200, body: z.object({ event_packets: z.array(Packet), _links: Links }) },
  'events/list-packet-events': { status: 200, body: z.object({ events: z.array(Event), _links: Links }) },
  'events/create-ticket': { status: 201, body: EmTicket },
  'events/get-ticket': { status: 200, body: EmTicket },
  'events/update-ticket': { status: 200, body: EmTicket },
  'events/delete-ticket': { status: 200, body: EmTicket },
  'users/create-profile': { status: 201, body: z.object({ user: User }) },
  'users/get-profile': { status: 200, body: z.object({ user: User }) },
  'users/update-profile': { status: 200, body: z.object({ user: User }) },
  'users/delete-account': { status: 200, body: z.object({ user: User.nullable() }) },
  'users/list-event-customers': { status: 200, body: z.object({ users: z.array(Customer) }) },
  'users/list-packet-customers': { status: 200, body: z.object({ users: z.array(Customer) }) },
  'users/buy-ticket': { status: 201, body: z.object({ ticket_code: z.string() }) },
  'users/list-tickets': { status: 200, body: TicketList },
  'users/cancel-ticket': { status: 200, body: z.object({ ticket: TicketEntry }) },
  'idm/login': { status: 200, body: LoggedIn },
};
