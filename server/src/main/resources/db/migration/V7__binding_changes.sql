-- Incremental cluster sync of bindings: instead of reading the whole binding table back every
-- second, each node reads only what other nodes changed since its last read.
-- Every write of binding rows takes the next stamp from binding_clock in the same transaction;
-- the clock row stays locked until that transaction commits, so stamps become visible in order
-- and a reader that saw clock value C has seen every change stamped up to C.
-- node is the writing node (random per process), so a node skips its own writes.
ALTER TABLE binding ADD COLUMN stamp BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE binding ADD COLUMN node UUID;
CREATE INDEX ix_binding_stamp ON binding (stamp);

CREATE TABLE binding_clock (
    id     INTEGER PRIMARY KEY,
    stamp  BIGINT NOT NULL
);
INSERT INTO binding_clock (id, stamp) VALUES (1, 0);

-- Bindings a node removed (un-REGISTER, forced de-registration, user or tenant gone), so the
-- others drop them too; kept for a few minutes. No foreign keys: a removal outlives its row.
CREATE TABLE binding_removal (
    stamp       BIGINT NOT NULL,
    id          UUID NOT NULL,
    aor         VARCHAR(400) NOT NULL,
    node        UUID NOT NULL,
    removed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_binding_removal_stamp ON binding_removal (stamp);
