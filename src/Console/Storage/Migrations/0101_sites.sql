-- Registered halls and their keys (Sites/PostgresSiteStore.cs). Only a key's SHA-256 is stored, never the key.
CREATE TABLE sites (
    id text PRIMARY KEY,
    name text NOT NULL,
    district text NOT NULL,
    time_zone text NOT NULL
);

CREATE TABLE site_keys (
    site_id text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    key_id text NOT NULL,
    sha256 text NOT NULL,
    issued_at_ticks bigint NOT NULL,
    revoked_at_ticks bigint,
    -- Issue order, which the keys are listed in.
    ordinal bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (site_id, key_id)
);
