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
        Optional<String> named = Optional.ofNullable(request.getParameter("tenant"))
                .or(() -> Optional.ofNullable(request.getHeader(RESELLER_HEADER)))
                .map(String::strip).filter(s -> !s.isEmpty());
        if (caller.tenantId().isPresent()) {
            Tenant own = tenants.find(caller.tenantId().get()).orElseThrow(() -> ApiException.notFound("Tenant"));
            // A tenant user naming another tenant is answered as if it did not exist (SPEC 2), not
            // quietly given its own.
            if (named.isPresent() && !byName(named.get()).map(t -> t.id().equals(own.id())).orElse(false)) {
                throw ApiException.notFound("Tenant");
            }
            return own;
        }
        String name = named.orElseThrow(() -> InvalidFields.of("tenant",
                "the system administrator names the tenant: the tenant parameter (uuid or domain), or the "
                        + "X-Auth-Reseller header with a bearer token (with the header login it is the login's own)"));
        return byName(name).orElseThrow(() -> ApiException.notFound("Tenant"));
    }

    /** The tenant a uuid or a domain names. */
    private Optional<Tenant> byName(String name) {
        return byUuid(name).or(() -> tenants.findByDomain(name));
    }

    private Optional<Tenant> byUuid(String text) {
        try {
            return tenants.find(UUID.fromString(text));
        } catch (IllegalArgumentException notUuid) {
            return Optional.empty();
        }
    }
}
