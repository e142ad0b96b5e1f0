-- Up Migration
-- Events, packets, inclusions and tickets (ORIGINAL §7.3), plus the counts the seat rules need,
-- kept in the rows they guard and maintained by the same transactions that sell, cancel and bind:
--   events.direct_sold       = D(e), tickets sold directly for the event
--   events.packet_allocated  = Σ A(q) over the packets that include the event
--   "eventsPacket".sold      = T(p), tickets sold for the packet
-- The CHECK constraints make the seat invariants hold at every instant, whatever the code does.
CREATE TABLE events (
  id               bigserial PRIMARY KEY,
  id_owner         bigint    NOT NULL CHECK (id_owner > 0),
  name             text      NOT NULL,
  location         text,
  description      text,
  seats            bigint    CHECK (seats > 0),
  direct_sold      bigint    NOT NULL DEFAULT 0 CHECK (direct_sold >= 0),
  packet_allocated bigint    NOT NULL DEFAULT 0 CHECK (packet_allocated >= 0),
  CONSTRAINT events_name_key UNIQUE (name),
  CONSTRAINT events_seats_not_oversold CHECK (seats IS NULL OR direct_sold + packet_allocated <= seats),
  CONSTRAINT events_no_direct_sales_without_seats CHECK (seats IS NOT NULL OR direct_sold = 0)
);
CREATE INDEX events_owner_idx ON events (id_owner);

CREATE TABLE "eventsPacket" (
  id              bigserial PRIMARY KEY,
  id_owner        bigint    NOT NULL CHECK (id_owner > 0),
  name            text      NOT NULL,
  location        text,
  description     text,
  allocated_seats bigint    CHECK (allocated_seats > 0),
  sold            bigint    NOT NULL DEFAULT 0 CHECK (sold >= 0),
  CONSTRAINT "eventsPacket_name_key" UNIQUE (name),
  CONSTRAINT packets_not_oversold CHECK (sold <= coalesce(allocated_seats, 0))
);
CREATE INDEX packets_owner_idx ON "eventsPacket" (id_owner);

CREATE TABLE events_packet_inclusion (
  packet_id bigint NOT NULL REFERENCES "eventsPacket" (id),
  event_id  bigint NOT NULL REFERENCES events (id),
  PRIMARY KEY (packet_id, event_id)
);
CREATE INDEX inclusion_event_idx ON events_packet_inclusion (event_id);

CREATE TABLE tickets (
  code      text   PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 128),
  packet_id bigint REFERENCES "eventsPacket" (id),
  event_id  bigint REFERENCES events (id),
  CONSTRAINT tickets_exactly_one_target CHECK ((packet_id IS NULL) <> (event_id IS NULL))
);
CREATE INDEX tickets_event_idx ON tickets (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX tickets_packet_idx ON tickets (packet_id) WHERE packet_id IS NOT NULL;

-- Down Migration
DROP TABLE tickets;
DROP TABLE events_packet_inclusion;
DROP TABLE "eventsPacket";
DROP TABLE events;
