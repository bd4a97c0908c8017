package dev.switchboard.trunk;

import dev.switchboard.auth.Caller;
import dev.switchboard.tenant.Tenant;
import dev.switchboard.tenant.TenantRepository;
import dev.switchboard.user.Role;
import dev.switchboard.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Which tenant a Yay call acts on: a tenant user's own; for the system administrator (who has
 * none) the tenant named by the {@code X-Auth-Reseller} header (its domain) or the {@code tenant}
 * query parameter (uuid or domain). StandardUsers have no access to trunks (SPEC 2).
 */
@Component
class YayTenants {

    static final String RESELLER_HEADER = "X-Auth-Reseller";

    private final TenantRepository tenants;

    YayTenants(TenantRepository tenants) {
        this.tenants = tenants;
    }

    Tenant of(Caller caller, HttpServletRequest request) {
        if (caller.role() == Role.STANDARD_USER) {
            throw ApiException.forbidden("Trunks need the Admin role");
        }
        if (caller.tenantId().isPresent()) {
            return tenants.find(caller.tenantId().get()).orElseThrow(() -> ApiException.notFound("Tenant"));
        }
        String named = Optional.ofNullable(request.getParameter("tenant"))
                .or(() -> Optional.ofNullable(request.getHeader(RESELLER_HEADER)))
                .map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> InvalidFields.of("tenant",
                        "the system administrator names the tenant: X-Auth-Reseller header or tenant parameter"));
        return byUuid(named).or(() -> tenants.findByDomain(named))
                .orElseThrow(() -> ApiException.notFound("Tenant"));
    }

    private Optional<Tenant> byUuid(String text) {
        try {
            return tenants.find(UUID.fromString(text));
        } catch (IllegalArgumentException notUuid) {
            return Optional.empty();
        }
    }
}
