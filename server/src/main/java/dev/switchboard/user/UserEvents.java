package dev.switchboard.user;

import java.util.UUID;

/** Application events about users, for capabilities that keep derived state (bindings, indexes). */
public final class UserEvents {

    private UserEvents() {
    }

    /** The user's SIP credentials were set, changed or removed. */
    public record SipCredentialsChanged(UUID tenantId, UUID userId) {
    }

    /** The user was deleted: its bindings end. */
    public record Deleted(UUID tenantId, UUID userId) {
    }
}
