-- The one row the store probe rewrites: a read-only or full database shows in /health before ingest fails.
CREATE TABLE store_probe (
    id integer PRIMARY KEY,
    written_at timestamptz NOT NULL
);
