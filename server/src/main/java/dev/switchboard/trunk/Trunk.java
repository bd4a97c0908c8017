package dev.switchboard.trunk;

import java.time.Instant;
import java.util.UUID;

/** A SIP trunk of a tenant: where calls for it are sent and how the user part is formatted. */
public record Trunk(UUID id, UUID tenantId, String name, String domain, int port, String transport,
                    String userFormat, Instant createdAt, Instant updatedAt) {
}
