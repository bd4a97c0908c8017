-- The redirect_uri sent in an authorization request must be sent again, identical, when the
-- code is exchanged (RFC 6749 4.1.3); keeping it avoids recomputing it from a later request
-- that may have reached another node or host name.
ALTER TABLE sso_request ADD COLUMN redirect_uri VARCHAR(2048);
