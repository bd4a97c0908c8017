package dev.switchboard.tenant;

import dev.switchboard.auth.Caller;
import dev.switchboard.web.ApiException;
import dev.switchboard.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Native API: tenants. SystemAdmin manages all; an Admin or user reads its own. */
@RestController
@RequestMapping("/api/v2/tenants")
@Tag(name = "Tenants", description = "Native management API: tenants (SystemAdmin)")
public class TenantController {

    private final TenantService tenants;

    public TenantController(TenantService tenants) {
        this.tenants = tenants;
    }

    /** A tenant as the API shows it. */
    public record TenantView(UUID uuid, String name, String domain, @Schema(nullable = true) String website,
                             boolean enabled, String outboundRoute, Instant createdAt, Instant updatedAt) {
        static TenantView of(Tenant t) {
            return new TenantView(t.id(), t.name(), t.domain(), t.website(), t.enabled(), t.outboundRoute().wire(),
                    t.createdAt(), t.updatedAt());
        }
    }

    /** Body of create and update; on update, fields left out keep their value. */
    public record TenantRequest(String name, String domain, String website, Boolean enabled,
                                @Schema(description = "How calls to outside numbers leave: trunk (the tenant's "
                                        + "oldest trunk, default) or sip_account (its user agent's first SIP account)",
                                        allowableValues = {"trunk", "sip_account"}) String outboundRoute) {
        TenantService.Changes changes() {
            return new TenantService.Changes(name, domain, website, enabled, outboundRoute);
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a tenant")
    public TenantView create(@AuthenticationPrincipal Caller caller, @RequestBody TenantRequest request,
                             jakarta.servlet.http.HttpServletResponse response) {
        caller.requireSystemAdmin();
        TenantView created = TenantView.of(tenants.create(request.changes()));
        // RFC 9110 §15.3.2: where the new resource is.
        response.setHeader(org.springframework.http.HttpHeaders.LOCATION, "/api/v2/tenants/" + created.uuid());
        return created;
    }

    @GetMapping
    @Operation(summary = "List tenants", description = "Cursor pagination: pass `next` as `after`. "
            + "A SystemAdmin sees all tenants, an Admin only their own; a StandardUser is refused (403).")
    public Page<TenantView> list(@AuthenticationPrincipal Caller caller,
                                 @RequestParam(required = false) Integer limit,
                                 @RequestParam(required = false) UUID after) {
        int size = Page.limit(limit);
        // SPEC 2: a StandardUser reads its own profile and bindings, not the tenant's record.
        caller.tenantId().ifPresent(caller::requireAdminOf);
        if (!caller.isSystemAdmin()) {
            List<TenantView> own = caller.tenantId().flatMap(tenants::find)
                    .filter(t -> after == null || t.id().compareTo(after) > 0)
                    .map(TenantView::of).stream().toList();
            return new Page<>(own, null);
        }
        List<Tenant> page = tenants.page(after, size + 1);
        boolean more = page.size() > size;
        List<TenantView> items = page.stream().limit(size).map(TenantView::of).toList();
        return new Page<>(items, more ? items.get(items.size() - 1).uuid().toString() : null);
    }

    @GetMapping("/{uuid}")
    @Operation(summary = "Read a tenant")
    public TenantView get(@AuthenticationPrincipal Caller caller, @PathVariable UUID uuid) {
        caller.requireAdminOf(uuid);
        return TenantView.of(tenants.find(uuid).orElseThrow(() -> ApiException.notFound("Tenant")));
    }

    @PutMapping("/{uuid}")
    @Operation(summary = "Change a tenant", description = "Fields left out keep their value.")
    public TenantView update(@AuthenticationPrincipal Caller caller, @PathVariable UUID uuid,
                             @RequestBody TenantRequest request) {
        caller.requireTenantVisible(uuid, "Tenant");
        caller.requireSystemAdmin();
        return TenantView.of(tenants.update(uuid, request.changes()));
    }

    @DeleteMapping("/{uuid}")
    @Operation(summary = "Delete a tenant with its users, tokens and bindings")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID uuid) {
        caller.requireTenantVisible(uuid, "Tenant");
        caller.requireSystemAdmin();
        tenants.delete(uuid);
    }
}
