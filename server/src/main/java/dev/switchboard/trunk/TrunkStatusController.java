package dev.switchboard.trunk;

import dev.switchboard.auth.Caller;
import dev.switchboard.tenant.TenantService;
import dev.switchboard.web.ApiException;
import dev.switchboard.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Native API: the trunks of a tenant with their live status as this node sees it (SPEC 3.4):
 * whether the destination answers OPTIONS, and the calls carried since the node started.
 * Admin of the tenant or SystemAdmin; the trunks themselves are managed through {@code /voip/trunk}.
 */
@RestController
@RequestMapping("/api/v2/tenants/{tenant}/trunks")
@Tag(name = "Trunk status", description = "Native management API: trunks' live status")
public class TrunkStatusController {

    private final TrunkService trunks;
    private final TrunkHealth health;
    private final TenantService tenants;

    public TrunkStatusController(TrunkService trunks, TrunkHealth health, TenantService tenants) {
        this.trunks = trunks;
        this.health = health;
        this.tenants = tenants;
    }

    /**
     * A trunk and its live status.
     *
     * @param status       {@code up} (its destination answered the last OPTIONS), {@code down} (no answer or no
     *                     connection), {@code unknown} (not probed yet, or probing is off)
     * @param lastResponse status code of the last probe's answer (408: none, 503: unreachable)
     * @param rttMs        how long the last probe took
     * @param callsIn      calls let in from the trunk since this node started
     * @param callsOut     calls sent out to the trunk since this node started
     */
    public record TrunkStatusView(UUID uuid, String name, String domain, int port, String transport, String status,
                                  @Schema(nullable = true) Integer lastResponse, @Schema(nullable = true) Long rttMs,
                                  @Schema(nullable = true) Instant checkedAt, long callsIn, long callsOut,
                                  @Schema(nullable = true) Instant lastCallAt, int authMethods) {

        static TrunkStatusView of(TrunkService.TrunkWithMethods t, TrunkHealth health) {
            Trunk trunk = t.trunk();
            var probe = health.probe(trunk.id());
            var traffic = health.traffic(trunk.id());
            return new TrunkStatusView(trunk.id(), trunk.name(), trunk.domain(), trunk.port(), trunk.transport(),
                    probe.map(p -> p.reachability().name().toLowerCase(java.util.Locale.ROOT)).orElse("unknown"),
                    probe.map(TrunkHealth.Probe::status).orElse(null), probe.map(TrunkHealth.Probe::rttMillis).orElse(null),
                    probe.map(TrunkHealth.Probe::at).orElse(null), traffic.callsIn(), traffic.callsOut(),
                    traffic.lastCall().orElse(null), t.methods().size());
        }
    }

    @GetMapping
    @Operation(summary = "List a tenant's trunks with their live status",
            description = "Cursor pagination, as every native list: pass `next` as `after`.")
    public Page<TrunkStatusView> list(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant,
                                      @RequestParam(required = false) Integer limit,
                                      @RequestParam(required = false) UUID after) {
        int size = Page.limit(limit);
        requireTenant(caller, tenant);
        List<TrunkService.TrunkWithMethods> page = trunks.list(tenant).stream()
                // The order every native list has (the database's: unsigned, as the uuid is written),
                // not UUID.compareTo's signed one.
                .sorted(java.util.Comparator.comparing((TrunkService.TrunkWithMethods t) -> t.trunk().id().toString()))
                .filter(t -> after == null || t.trunk().id().toString().compareTo(after.toString()) > 0)
                .limit(size + 1L)
                .toList();
        List<TrunkStatusView> items = page.stream().limit(size).map(t -> TrunkStatusView.of(t, health)).toList();
        return new Page<>(items, page.size() > size ? items.get(size - 1).uuid().toString() : null);
    }

    @GetMapping("/{trunk}")
    @Operation(summary = "One trunk's live status")
    public TrunkStatusView get(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant,
                               @PathVariable UUID trunk) {
        requireTenant(caller, tenant);
        return TrunkStatusView.of(trunks.get(tenant, trunk), health);
    }

    private void requireTenant(Caller caller, UUID tenant) {
        caller.requireTenantVisible(tenant, "Tenant");
        tenants.find(tenant).orElseThrow(() -> ApiException.notFound("Tenant"));
        caller.requireAdminOf(tenant);
    }
}
