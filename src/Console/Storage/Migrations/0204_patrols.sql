-- Video patrols (src/Console/Patrol/PostgresPatrolStore.cs). A finding is numbered within its patrol under the
-- patrol row's lock, and the (patrol, number) key holds even if two nodes record at once.
CREATE TABLE patrols (
    id text PRIMARY KEY,
    started_by text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    interval_seconds integer NOT NULL,
    stops_json text NOT NULL
);

CREATE INDEX patrols_started_at ON patrols (started_at DESC);

CREATE TABLE patrol_findings (
    patrol_id text NOT NULL REFERENCES patrols (id),
    number integer NOT NULL,
    stop integer NOT NULL,
    site_id text NOT NULL,
    camera_id text NOT NULL,
    at timestamptz NOT NULL,
    by_user text NOT NULL,
    verdict text NOT NULL,
    note text NOT NULL,
    snapshot_id text,
    snapshot_taken_at timestamptz,
    PRIMARY KEY (patrol_id, number)
);

CREATE TABLE patrol_snapshots (
    id text PRIMARY KEY,
    jpeg bytea NOT NULL
);
