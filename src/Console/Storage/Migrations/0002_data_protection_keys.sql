-- The data-protection key ring (what sign-in cookies are sealed with), shared by every Console node: each key's XML,
-- already encrypted with the key-ring certificate before it is written here.
CREATE TABLE data_protection_keys (
    name text PRIMARY KEY,
    xml text NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
);
