package dev.switchboard.tenant;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer of the platform, identified on SIP by its domain (also its digest realm).
 *
 * @param outboundRoute how calls to numbers outside the tenant leave: {@link OutboundRoute}
 */
public record Tenant(UUID id, String name, String domain, String website, boolean enabled,
                     OutboundRoute outboundRoute, Instant createdAt, Instant updatedAt) {
}
