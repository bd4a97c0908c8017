-- SIP trunks of a tenant and their authentication methods (Yay-compatible API, trunk gate).
-- Portable SQL: runs unchanged on H2 and PostgreSQL.

CREATE TABLE trunk (
    id           UUID PRIMARY KEY,
    tenant_id    UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name         VARCHAR(128) NOT NULL,
    domain       VARCHAR(255) NOT NULL,
    port         INTEGER NOT NULL,
    transport    VARCHAR(8) NOT NULL,
    user_format  VARCHAR(64) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_trunk_tenant ON trunk (tenant_id);

-- ip: the normalised address or CIDR range ('' when none). sip_user_key is
-- tenant id + ':' + username for sipuser methods and NULL otherwise, so a SIP username is
-- unique per tenant among trunk methods. Passwords exist only as HA1 digests under the
-- tenant domain realm.
CREATE TABLE trunk_auth (
    id              UUID PRIMARY KEY,
    trunk_id        UUID NOT NULL REFERENCES trunk (id) ON DELETE CASCADE,
    tenant_id       UUID NOT NULL,
    auth_type       VARCHAR(8) NOT NULL,
    ip              VARCHAR(64) NOT NULL,
    username        VARCHAR(64) NOT NULL,
    sip_user_key    VARCHAR(120),
    ha1_md5         VARCHAR(32),
    ha1_sha256      VARCHAR(64),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_trunk_auth_sip_user UNIQUE (sip_user_key)
);
CREATE INDEX ix_trunk_auth_trunk ON trunk_auth (trunk_id);
CREATE INDEX ix_trunk_auth_tenant ON trunk_auth (tenant_id);

-- One row. Every change to trunk methods locks it (serialising the overlap checks of all
-- nodes) and bumps version; each node polls it to reload its in-memory trunk gate.
CREATE TABLE trunk_change (
    id       INTEGER PRIMARY KEY,
    version  BIGINT NOT NULL
);
INSERT INTO trunk_change (id, version) VALUES (1, 0);
