-- The hash-chained audit log (Audit/PostgresAuditStore.cs). Every append locks the one row of audit_head, so appends
-- from several nodes form one chain: each takes the id and hash of the entry before it.
CREATE TABLE audit (
    id integer PRIMARY KEY,
    at_ticks bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    detail text,
    previous_hash text NOT NULL,
    hash text NOT NULL
);

-- The chain's head (newest entry) and its anchor (the last entry pruned): one row.
CREATE TABLE audit_head (
    id integer PRIMARY KEY CHECK (id = 1),
    head_id integer NOT NULL,
    head_hash text NOT NULL,
    pruned_through_id integer NOT NULL,
    anchor_hash text NOT NULL,
    pruned_count bigint NOT NULL,
    pruned_at_ticks bigint
);

INSERT INTO audit_head (id, head_id, head_hash, pruned_through_id, anchor_hash, pruned_count)
VALUES (1, 0, repeat('0', 64), 0, repeat('0', 64), 0);
