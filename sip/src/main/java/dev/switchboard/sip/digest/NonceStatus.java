package dev.switchboard.sip.digest;

import java.time.Instant;

/** What {@link NonceService#validate} found out about a nonce. */
public sealed interface NonceStatus {

    /** Issued by a node of this cluster for this realm and still within its lifetime. */
    record Valid(Instant issuedAt, Instant expiresAt) implements NonceStatus {
    }

    /** Authentic but expired: the caller challenges again with {@code stale=true}. */
    record Stale() implements NonceStatus {
    }

    /** Not issued by us, issued for another realm, or not a nonce at all. */
    record Invalid() implements NonceStatus {
    }
}
