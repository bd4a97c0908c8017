package dev.switchboard.registrar;

import dev.switchboard.tenant.TenantEvents;
import dev.switchboard.user.UserEvents;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Keeps the registrar's in-memory state in step with users and tenants once their changes are
 * committed: the directory reads the user (or, for a tenant, everything) again, and bindings end
 * when the user is deleted, its extension or SIP password is removed, or its tenant is disabled,
 * deleted or renamed (an AOR names the domain, so the old AORs no longer exist).
 */
@Component
public class RegistrarEvents {

    private static final Logger log = LoggerFactory.getLogger(RegistrarEvents.class);

    private final SipDirectory directory;
    private final LocationStore store;

    public RegistrarEvents(SipDirectory directory, LocationStore store) {
        this.directory = directory;
        this.store = store;
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void on(UserEvents.SipCredentialsChanged e) {
        directory.refreshUser(e.userId());
        if (!e.endsBindings()) {
            // A new user, or a new password under the same extension: bindings stand, and there
            // is no need to look through every binding for this user's.
            return;
        }
        var current = directory.userById(e.userId());
        List<Binding> ended = store.removeIf(b -> b.userId().equals(e.userId())
                && current.map(u -> !b.aor().equals(new AddressOfRecord(u.extension(), domainOf(b)).key()))
                .orElse(true));
        logEnded(ended, "SIP credentials changed", e.userId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void on(UserEvents.Deleted e) {
        directory.refreshUser(e.userId());
        logEnded(store.removeIf(b -> b.userId().equals(e.userId())), "user deleted", e.userId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void on(TenantEvents.OutboundRouteChanged e) {
        directory.reload();
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void on(TenantEvents.Activated e) {
        directory.reload();
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void on(TenantEvents.Deactivated e) {
        directory.reload();
        logEnded(store.removeIf(b -> b.tenantId().equals(e.tenantId())), "tenant deactivated", e.tenantId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void on(TenantEvents.DomainChanged e) {
        directory.reload();
        logEnded(store.removeIf(b -> b.tenantId().equals(e.tenantId())), "tenant domain changed", e.tenantId());
    }

    private static String domainOf(Binding b) {
        return b.aor().substring(b.aor().lastIndexOf('@') + 1);
    }

    private static void logEnded(List<Binding> ended, String why, Object id) {
        if (!ended.isEmpty()) {
            log.info("{} bindings ended: {} ({})", ended.size(), why, id);
        }
    }
}
