package dev.switchboard.auth;

import dev.switchboard.user.Role;
import dev.switchboard.web.ApiException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The authenticated party of a request, resolved from its access token. */
public record Caller(
        UUID userId,
        Optional<UUID> tenantId,
        String username,
        Role role,
        UUID sessionId,
        String tokenHash,
        Instant tokenExpiresAt,
        boolean passwordVerified) {

    public boolean isSystemAdmin() {
        return role == Role.SYSTEM_ADMIN;
    }

    /**
     * Refuses, as if it did not exist, a tenant the caller may not see: the system administrator
     * sees every tenant, everyone else only their own.
     */
    public void requireTenantVisible(UUID tenant, String what) {
        if (!isSystemAdmin() && !tenantId.map(tenant::equals).orElse(false)) {
            throw ApiException.notFound(what);
        }
    }

    /** Refuses callers whose role is below Admin of that (already visible) tenant. */
    public void requireAdminOf(UUID tenant) {
        requireTenantVisible(tenant, "Tenant");
        if (role == Role.STANDARD_USER) {
            throw ApiException.forbidden("This needs the Admin role");
        }
    }

    public void requireSystemAdmin() {
        if (!isSystemAdmin()) {
            throw ApiException.forbidden("This needs the SystemAdmin role");
        }
    }
}
