-- Recorders' events (Ingest/PostgresEventStore.cs). The primary key is what keeps ingest idempotent across nodes:
-- a (site, sequence) is stored once whichever node receives it. The event stays in its wire JSON (text, byte for
-- byte as received), so new event types need no migration.
CREATE TABLE events (
    site_id text NOT NULL,
    sequence bigint NOT NULL,
    event_id uuid NOT NULL,
    type text NOT NULL,
    camera_id text NOT NULL,
    window_id text,
    occurred_at_ticks bigint NOT NULL,
    recorded_at_ticks bigint NOT NULL,
    received_at_ticks bigint NOT NULL,
    has_snapshot boolean NOT NULL,
    event_json text NOT NULL,
    PRIMARY KEY (site_id, sequence)
);

-- A site's events in a period (the events API, attendance days) are one range of this index.
CREATE INDEX events_site_time ON events (site_id, occurred_at_ticks);

-- Rebuilding from one type (closed attendance days).
CREATE INDEX events_type ON events (type);

-- An event's proof picture, kept apart so event queries stay small.
CREATE TABLE event_snapshots (
    site_id text NOT NULL,
    sequence bigint NOT NULL,
    jpeg bytea NOT NULL,
    PRIMARY KEY (site_id, sequence),
    FOREIGN KEY (site_id, sequence) REFERENCES events (site_id, sequence) ON DELETE CASCADE
);
