package dev.switchboard.tenant;

import java.util.Locale;
import java.util.Optional;

/** How a tenant's calls to numbers outside it leave (SPEC 4.3). */
public enum OutboundRoute {
    /** To the tenant's oldest trunk, at its domain, port and transport. */
    TRUNK,
    /** Through the first SIP account of the tenant's user agent, answering its provider's challenges. */
    SIP_ACCOUNT;

    /** The name in the API and the database: {@code trunk}, {@code sip_account}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OutboundRoute> ofWire(String text) {
        for (OutboundRoute r : values()) {
            if (r.wire().equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
