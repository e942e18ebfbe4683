-- Alerts (Alerts/PostgresAlertStore.cs). At most one unresolved alert per cause (type, site, subject), held by the
-- database for every node: a second node opening the same cause finds it taken.
CREATE TABLE alerts (
    id text PRIMARY KEY,
    cause text NOT NULL,
    type text NOT NULL,
    site_id text NOT NULL,
    district text NOT NULL,
    subject text NOT NULL,
    state text NOT NULL,
    message text NOT NULL,
    opened_at_ticks bigint NOT NULL,
    raised_at_ticks bigint NOT NULL,
    escalation_level integer NOT NULL,
    acknowledged_at_ticks bigint,
    acknowledged_by text,
    note text,
    resolved_at_ticks bigint,
    resolved_by text,
    last_seen_at_ticks bigint,
    vacated_at_ticks bigint,
    unstaffed_at_ticks bigint,
    snapshot_sequence bigint
);

CREATE UNIQUE INDEX alerts_one_unresolved_per_cause ON alerts (cause) WHERE state <> 'Resolved';
CREATE INDEX alerts_raised ON alerts (raised_at_ticks DESC);

-- The webhook's durable queue, oldest (smallest id) first.
CREATE TABLE webhook_posts (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id text NOT NULL,
    alert_json text NOT NULL,
    queued_at_ticks bigint NOT NULL,
    attempts integer NOT NULL
);
