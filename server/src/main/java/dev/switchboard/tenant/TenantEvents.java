package dev.switchboard.tenant;

import java.util.UUID;

/** Application events about tenants, for capabilities that keep derived state (credentials, bindings). */
public final class TenantEvents {

    private TenantEvents() {
    }

    /** The tenant's SIP domain changed: realm-bound credentials must be re-derived. */
    public record DomainChanged(UUID tenantId, String oldDomain, String newDomain) {
    }

    /** The tenant was created enabled, or enabled again: its SIP traffic starts. */
    public record Activated(UUID tenantId, boolean created) {
    }

    /** How the tenant's outside calls leave changed. */
    public record OutboundRouteChanged(UUID tenantId) {
    }

    /** The tenant was disabled or deleted: its SIP traffic stops. */
    public record Deactivated(UUID tenantId, boolean deleted) {
    }
}
