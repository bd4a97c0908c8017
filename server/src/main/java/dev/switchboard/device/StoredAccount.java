package dev.switchboard.device;

import java.time.Instant;
import java.util.Optional;

/** What is stored for a slot: its settings once given, and whether the agent should register it. */
public record StoredAccount(AccountId id, Optional<SipAccountSettings> settings, boolean enabled, Instant updatedAt) {

    /** Registered only with settings and while enabled. */
    public boolean active() {
        return enabled && settings.isPresent();
    }
}
