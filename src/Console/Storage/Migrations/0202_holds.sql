-- Evidence holds (src/Console/Holds/PostgresHoldStore.cs). The id is the hold's (a clip's hold has the clip's id),
-- so a confirmation ingested by two nodes adds the hold once.
CREATE TABLE holds (
    id text PRIMARY KEY,
    site_id text NOT NULL,
    camera_id text NOT NULL,
    from_at timestamptz NOT NULL,
    to_at timestamptz NOT NULL,
    reason text NOT NULL,
    placed_by text NOT NULL,
    placed_at timestamptz NOT NULL,
    status text NOT NULL,
    released_by text
);

CREATE INDEX holds_site ON holds (site_id, placed_at);
