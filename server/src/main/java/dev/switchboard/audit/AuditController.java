package dev.switchboard.audit;

import dev.switchboard.auth.Caller;
import dev.switchboard.user.Role;
import dev.switchboard.web.ApiException;
import dev.switchboard.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Native API: the audit log. SystemAdmin reads all of it (or one tenant's), an Admin its own tenant's. */
@RestController
@RequestMapping("/api/v2/audit")
@Tag(name = "Audit", description = "Native management API: failed sign-ins, lockouts and other security events")
public class AuditController {

    private final AuditLog audit;

    public AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    @Operation(summary = "Read audit events, newest first",
            description = "Cursor pagination: pass `next` as `after`. `tenant` filters (SystemAdmin only).")
    public Page<AuditLog.Event> list(@AuthenticationPrincipal Caller caller,
                                     @RequestParam(required = false) Integer limit,
                                     @RequestParam(required = false) Long after,
                                     @RequestParam(required = false) UUID tenant) {
        // Another tenant is not found, whatever the role, as on every tenant-scoped call.
        if (tenant != null) {
            caller.requireTenantVisible(tenant, "Tenant");
        }
        if (caller.role() == Role.STANDARD_USER) {
            throw ApiException.forbidden("Reading the audit log needs the Admin role");
        }
        UUID scope = caller.isSystemAdmin() ? tenant : caller.tenantId().orElseThrow();
        int size = Page.limit(limit);
        List<AuditLog.Event> page = audit.page(scope, after, size + 1);
        boolean more = page.size() > size;
        List<AuditLog.Event> items = page.stream().limit(size).toList();
        return new Page<>(items, more ? String.valueOf(items.get(items.size() - 1).id()) : null);
    }
}
