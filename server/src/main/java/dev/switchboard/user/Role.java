package dev.switchboard.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a user may do: the system administrator manages everything, an Admin its tenant, a StandardUser itself. */
public enum Role {
    SYSTEM_ADMIN("SystemAdmin"),
    ADMIN("Admin"),
    STANDARD_USER("StandardUser");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Parses the wire name, case-insensitively; unknown names are a client error. */
    @JsonCreator
    public static Role of(String name) {
        return Arrays.stream(values())
                .filter(r -> r.wire.equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("role '" + name
                        + "' is unknown; a tenant user is Admin or StandardUser"));
    }
}
