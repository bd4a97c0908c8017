-- How a tenant's calls to numbers outside it leave: through its oldest trunk (the default) or
-- through its user agent's first SIP account, with that account's digest credentials.
-- Portable SQL: runs unchanged on H2 and PostgreSQL.

ALTER TABLE tenant ADD COLUMN outbound_route VARCHAR(16) DEFAULT 'trunk' NOT NULL;
