-- Events stored but not yet dispatched to the features that act on them (Ingest/PostgresEventStore.cs): a row is
-- inserted with its event, in the same commit, and deleted once the node's handlers ran. A node that dies in between
-- leaves the row; the node the Recorder resends the batch to deletes it (one node's delete wins) and dispatches the
-- event. Events stored before this table existed have no row: they count as dispatched. A side table rather than a
-- column of events, so setting and clearing the mark writes a small row instead of a new version of the event's.
CREATE TABLE event_dispatch_pending (
    site_id text NOT NULL,
    sequence bigint NOT NULL,
    PRIMARY KEY (site_id, sequence)
);
