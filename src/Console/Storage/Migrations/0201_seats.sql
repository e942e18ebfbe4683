-- Reported windows and seat changes (src/Console/Seats/PostgresSeatStore.cs). The windows stay their wire JSON, as
-- in LiteDB: the Console only hands them back.
CREATE TABLE site_windows (
    site_id text PRIMARY KEY,
    windows_json text NOT NULL,
    schedule_json text,
    reported_at timestamptz NOT NULL
);

CREATE TABLE seat_changes (
    id text PRIMARY KEY,
    site_id text NOT NULL,
    camera_id text NOT NULL,
    window_id text NOT NULL,
    seat_json text NOT NULL,
    state text NOT NULL,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL,
    answered_at timestamptz,
    reason text
);

CREATE INDEX seat_changes_site ON seat_changes (site_id, state);
