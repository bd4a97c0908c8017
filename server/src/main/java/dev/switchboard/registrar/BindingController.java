package dev.switchboard.registrar;

import dev.switchboard.auth.Caller;
import dev.switchboard.tenant.Tenant;
import dev.switchboard.tenant.TenantService;
import dev.switchboard.user.Role;
import dev.switchboard.user.UserService;
import dev.switchboard.web.ApiException;
import dev.switchboard.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Native API: live bindings of a tenant or a user, read from the location store, and forced
 * de-registration. Admin of the tenant or SystemAdmin; a StandardUser reads its own bindings.
 */
@RestController
@RequestMapping("/api/v2/tenants/{tenant}")
@Tag(name = "Bindings", description = "Native management API: registered contacts (live bindings)")
public class BindingController {

    private static final Logger log = LoggerFactory.getLogger(BindingController.class);

    private final LocationStore store;
    private final TenantService tenants;
    private final UserService users;
    private final Clock clock;

    public BindingController(LocationStore store, TenantService tenants, UserService users, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.users = users;
        this.clock = clock;
    }

    /**
     * A binding as the API shows it.
     *
     * @param expires seconds left until the binding expires
     * @param q       the contact's q-value, null when it gave none
     */
    public record BindingView(UUID uuid, UUID userUuid, String aor, String contact, String source, String transport,
                              @Schema(nullable = true) String userAgent, long expires, Instant expiresAt,
                              @Schema(nullable = true) Double q, String callId, long cseq,
                              @Schema(nullable = true) String instance, @Schema(nullable = true) Integer regId,
                              List<String> path, Instant registeredAt) {

        static BindingView of(Binding b, Instant now) {
            return new BindingView(b.id(), b.userId(), b.aor(), b.contact(), b.source(), b.transport(),
                    b.userAgent().orElse(null), b.secondsLeft(now), b.expiresAt(),
                    b.qMillis() < 0 ? null : b.qMillis() / 1000.0, b.callId(), b.cseq(),
                    b.instance().map(BindingView::unquoted).orElse(null), b.regId().orElse(null), b.path(),
                    b.registeredAt());
        }

        /** {@code +sip.instance} is a quoted string on the wire; the answer gives its value ({@code <urn:uuid:…>}). */
        static String unquoted(String instance) {
            return instance.length() >= 2 && instance.startsWith("\"") && instance.endsWith("\"")
                    ? instance.substring(1, instance.length() - 1) : instance;
        }
    }

    @GetMapping("/bindings")
    @Operation(summary = "List the live bindings of a tenant", description = "Cursor pagination: pass `next` as `after`.")
    public Page<BindingView> tenantBindings(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant,
                                            @RequestParam(required = false) Integer limit,
                                            @RequestParam(required = false) UUID after) {
        requireTenant(caller, tenant);
        caller.requireAdminOf(tenant);
        return page(b -> b.tenantId().equals(tenant), limit, after);
    }

    @GetMapping("/users/{user}/bindings")
    @Operation(summary = "List the live bindings of a user", description = "A StandardUser may read only its own.")
    public Page<BindingView> userBindings(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant,
                                          @PathVariable UUID user, @RequestParam(required = false) Integer limit,
                                          @RequestParam(required = false) UUID after) {
        requireTenant(caller, tenant);
        if (caller.role() == Role.STANDARD_USER && !caller.userId().equals(user)) {
            throw ApiException.notFound("User");
        }
        requireUser(tenant, user);
        return page(b -> b.tenantId().equals(tenant) && b.userId().equals(user), limit, after);
    }

    @DeleteMapping("/users/{user}/bindings")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove every binding of a user (forced de-registration)")
    public void deleteUserBindings(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant,
                                   @PathVariable UUID user) {
        Tenant found = requireTenant(caller, tenant);
        caller.requireAdminOf(tenant);
        var named = users.find(tenant, user).orElseThrow(() -> ApiException.notFound("User"));
        int n = store.removeIf(b -> b.tenantId().equals(tenant) && b.userId().equals(user)).size();
        if (named.extension() != null) {
            // Also the bindings another node took and this one has not read yet.
            store.unregisteredAll(new AddressOfRecord(named.extension(), found.domain()).key(), clock.instant());
        }
        log.info("bindings removed through the API: tenant={} user={} count={}", tenant, user, n);
    }

    @DeleteMapping("/bindings/{binding}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove one binding (forced de-registration)")
    public void deleteBinding(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant,
                              @PathVariable UUID binding) {
        requireTenant(caller, tenant);
        caller.requireAdminOf(tenant);
        boolean ours = store.byId(binding).map(b -> b.tenantId().equals(tenant)).orElse(false);
        if (!ours || !store.removeById(binding)) {
            throw ApiException.notFound("Binding");
        }
        log.info("binding removed through the API: tenant={} binding={}", tenant, binding);
    }

    private Page<BindingView> page(Predicate<Binding> filter, Integer limit, UUID after) {
        int size = Page.limit(limit);
        Instant now = clock.instant();
        String from = after == null ? "" : after.toString();
        Predicate<Binding> wanted = filter.and(b -> !b.expiredAt(now)).and(b -> b.id().toString().compareTo(from) > 0);
        List<Binding> sorted = store.find(wanted).stream().sorted(Comparator.comparing(b -> b.id().toString())).limit(size + 1L).toList();
        boolean more = sorted.size() > size;
        List<BindingView> items = sorted.stream().limit(size).map(b -> BindingView.of(b, now)).toList();
        return new Page<>(items, more ? items.get(items.size() - 1).uuid().toString() : null);
    }

    private Tenant requireTenant(Caller caller, UUID tenant) {
        caller.requireTenantVisible(tenant, "Tenant");
        return tenants.find(tenant).orElseThrow(() -> ApiException.notFound("Tenant"));
    }

    private void requireUser(UUID tenant, UUID user) {
        users.find(tenant, user).orElseThrow(() -> ApiException.notFound("User"));
    }
}
