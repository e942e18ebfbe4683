-- Clip requests and kept cases (src/Console/Review/PostgresClipStore.cs, PostgresCaseStore.cs). The clip files stay
-- under Storage:DataDirectory; these rows say what they are and where an upload stands.
CREATE TABLE clips (
    id text PRIMARY KEY,
    site_id text NOT NULL,
    camera_id text NOT NULL,
    from_at timestamptz NOT NULL,
    to_at timestamptz NOT NULL,
    reason text NOT NULL,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL,
    status text NOT NULL,
    received_bytes bigint NOT NULL,
    total_bytes bigint NOT NULL,
    sha256 text,
    error text
);

CREATE INDEX clips_unfinished_site ON clips (site_id) WHERE status IN ('Requested', 'Uploading');
CREATE INDEX clips_unfinished_user ON clips (requested_by) WHERE status IN ('Requested', 'Uploading');

-- Inserted once, never changed: the hash is of the clip file at the moment it was kept.
CREATE TABLE cases (
    id text PRIMARY KEY,
    clip_id text NOT NULL,
    site_id text NOT NULL,
    camera_id text NOT NULL,
    from_at timestamptz NOT NULL,
    to_at timestamptz NOT NULL,
    reason text NOT NULL,
    kept_by text NOT NULL,
    kept_at timestamptz NOT NULL,
    sha256 text NOT NULL
);

CREATE INDEX cases_kept_at ON cases (kept_at DESC);
