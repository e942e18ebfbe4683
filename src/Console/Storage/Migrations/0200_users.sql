-- Console users (src/Console/Auth/PostgresUserStore.cs). A name is unique in any letter case, as in LiteDB, so two
-- nodes creating the same user (or the first admin) at once store it once.
CREATE TABLE users (
    id text PRIMARY KEY,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL,
    must_change_password boolean NOT NULL,
    password_changed_at timestamptz,
    previous_password_hashes text[] NOT NULL,
    districts text[] NOT NULL,
    created_at timestamptz NOT NULL,
    security_stamp text NOT NULL,
    disabled boolean NOT NULL
);

CREATE UNIQUE INDEX users_name_any_case ON users (lower(id));
