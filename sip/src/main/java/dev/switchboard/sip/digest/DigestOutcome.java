package dev.switchboard.sip.digest;

/** The verdict on one set of digest credentials; sealed so callers answer every case. */
public sealed interface DigestOutcome {

    /** Credentials are good: the request is authenticated as {@code username}. */
    record Accepted(String username, DigestAlgorithm algorithm) implements DigestOutcome {
    }

    /**
     * The response was right but the nonce cannot be used for it: too old, or its nonce count
     * already used (a replay). Challenge again with {@code stale=true} (RFC 7616 §3.3).
     */
    record Stale() implements DigestOutcome {
    }

    /** Authentication failed; {@code reason} is for logs and audit, never for the peer. */
    record Rejected(Reason reason) implements DigestOutcome {
    }

    /** Why credentials were rejected. */
    enum Reason {
        MALFORMED("credentials could not be parsed"),
        REALM_MISMATCH("realm differs from the expected realm"),
        URI_MISMATCH("digest uri differs from the request URI"),
        UNSUPPORTED_ALGORITHM("algorithm not offered"),
        QOP_REQUIRED("qop=auth required"),
        UNSUPPORTED_QOP("qop other than auth"),
        INVALID_NONCE("nonce not issued by us for this realm"),
        BAD_RESPONSE("response does not match");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
