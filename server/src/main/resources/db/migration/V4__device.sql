-- SIP account slots of the user agents (BAS-IP device API and /api/v2 sip-accounts).
-- scope is the tenant id as text, or 'system' for the system-level agent, so the key works
-- without relying on NULL semantics. The settings columns are NULL until settings are first
-- stored (an enable may come before them). The password is AES-256-GCM sealed under the key
-- kept outside the database: the agent must present it upstream, so it cannot be hashed.
CREATE TABLE sip_account (
    scope                  VARCHAR(36) NOT NULL,
    slot                   INTEGER NOT NULL,
    tenant_id              UUID REFERENCES tenant (id) ON DELETE CASCADE,
    proxy                  VARCHAR(300),
    realm                  VARCHAR(300),
    username               VARCHAR(64),
    password_enc           VARCHAR(512),
    transport              VARCHAR(8),
    user_id                VARCHAR(64),
    registration_interval  INTEGER,
    outbound               VARCHAR(300),
    stun_ip                VARCHAR(300),
    stun_port              INTEGER,
    enabled                BOOLEAN NOT NULL,
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, slot)
);
