-- REGISTER lockouts (a user or a source address past its failed-digest limit), so that a lock
-- outlives a restart and reaches every node. The failure counters stay in each node's memory;
-- only the locks, which are rare, are written.
CREATE TABLE sip_lock (
    lock_key      VARCHAR(300) PRIMARY KEY,
    locked_until  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_sip_lock_until ON sip_lock (locked_until);
