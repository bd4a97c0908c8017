package dev.switchboard.user;

import java.util.UUID;

/** Application events about users, for capabilities that keep derived state (bindings, indexes). */
public final class UserEvents {

    private UserEvents() {
    }

    /**
     * The user's SIP credentials were set, changed or removed; {@code endsBindings} when the
     * user's registrations can no longer stand (extension changed or credentials removed), not
     * for a new user or a new password under the same extension.
     */
    public record SipCredentialsChanged(UUID tenantId, UUID userId, boolean endsBindings) {
    }

    /** The user's login password or e-mail address changed: reset links sent before die. */
    public record LoginCredentialsChanged(UUID tenantId, UUID userId) {
    }

    /** The user was deleted: its bindings end. */
    public record Deleted(UUID tenantId, UUID userId) {
    }
}
