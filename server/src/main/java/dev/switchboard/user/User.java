package dev.switchboard.user;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A person or device owner who signs in; tenant users may also carry SIP credentials
 * (extension and the HA1 digests of their SIP password under the tenant domain).
 */
public record User(
        UUID id,
        Optional<UUID> tenantId,
        String username,
        Role role,
        String email,
        String passwordHash,
        boolean passwordForceReset,
        String extension,
        String sipHa1Md5,
        String sipHa1Sha256,
        Instant createdAt,
        Instant updatedAt) {

    public boolean hasSipPassword() {
        return sipHa1Md5 != null;
    }

    /** The uniqueness scope of the username: the tenant id, or "system". */
    public String scope() {
        return tenantId.map(UUID::toString).orElse(UserRepository.SYSTEM_SCOPE);
    }
}
