package dev.switchboard.tenant;

import java.time.Instant;
import java.util.UUID;

/** A customer of the platform, identified on SIP by its domain (also its digest realm). */
public record Tenant(UUID id, String name, String domain, String website, boolean enabled, Instant createdAt,
                     Instant updatedAt) {
}
