package dev.switchboard.auth.sso;

import java.util.Arrays;
import java.util.Optional;

/** Identity providers a tenant can sign in with; the wire name appears in paths and in the database. */
public enum SsoProvider {
    MICROSOFT("microsoft");

    private final String wire;

    SsoProvider(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<SsoProvider> of(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst();
    }
}
