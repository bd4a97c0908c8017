package dev.switchboard.device;

import java.util.Optional;
import java.util.UUID;

/** One account slot of one user agent: a tenant's, or the system-level agent's (no tenant). */
public record AccountId(Optional<UUID> tenant, int slot) {

    public static final int FIRST = 1;
    public static final int SLOTS = 2;

    public AccountId {
        if (slot < 1 || slot > SLOTS) {
            throw new IllegalArgumentException("slot " + slot + " does not exist");
        }
    }

    public static AccountId first(Optional<UUID> tenant) {
        return new AccountId(tenant, FIRST);
    }

    /** The storage key of the agent: the tenant id, or {@code system}. */
    public String scope() {
        return tenant.map(UUID::toString).orElse("system");
    }

    @Override
    public String toString() {
        return scope() + "#" + slot;
    }
}
