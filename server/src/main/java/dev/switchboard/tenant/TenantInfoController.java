package dev.switchboard.tenant;

import dev.switchboard.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** PortSIP-compatible {@code GET /api/info}: what a sign-in page needs to know about a tenant, without a token. */
@RestController
@RequestMapping("/api/info")
@Tag(name = "PortSIP authentication")
public class TenantInfoController {

    private final TenantService tenants;
    private final JdbcClient jdbc;

    public TenantInfoController(TenantService tenants, JdbcClient jdbc) {
        this.tenants = tenants;
        this.jdbc = jdbc;
    }

    /** Public facts about a tenant. */
    public record TenantInfo(String name, String domain, @Schema(nullable = true) String website,
                             boolean enableMs365Integration) {
    }

    @GetMapping
    @Operation(summary = "Public information about the tenant of a SIP domain")
    @SecurityRequirements
    public TenantInfo info(@RequestParam(required = false) String domain) {
        if (domain == null || domain.isBlank()) {
            throw ApiException.invalid("domain", "domain is required");
        }
        Tenant tenant = tenants.findByDomain(domain).filter(Tenant::enabled)
                .orElseThrow(() -> ApiException.notFound("Tenant"));
        boolean sso = jdbc.sql("SELECT COUNT(*) FROM tenant_sso WHERE tenant_id = ? AND provider = 'microsoft'")
                .param(tenant.id()).query(Long.class).single() > 0;
        return new TenantInfo(tenant.name(), tenant.domain(), tenant.website(), sso);
    }
}
