package dev.switchboard.trunk;

import dev.switchboard.sip.net.Cidr;
import dev.switchboard.sip.net.CidrIndex;
import dev.switchboard.tenant.DomainNames;
import dev.switchboard.tenant.TenantEvents;
import dev.switchboard.web.ChangeStamps;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The trunk gate's memory: which source addresses belong to which trunk ({@code ip} methods, by
 * longest-prefix match) and which SIP usernames are trunk credentials ({@code sipuser} methods,
 * per tenant domain). Lookups never touch the database, so they are safe on the SIP event loop.
 *
 * <p>Changes made on this node apply at once (the service calls {@link #added} and
 * {@link #removed} after commit). Changes from other nodes, and tenant enable/disable, arrive by a
 * poll every second of a change stamp, which reloads everything when it moved.
 */
@Component
public class TrunkGate implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(TrunkGate.class);

    /** Digest credentials of a {@code sipuser} method, optionally bound to a source range. */
    public record SipUserCredentials(GateDecision.TrunkRef trunk, String username, String ha1Md5, String ha1Sha256,
                                     Optional<Cidr> source) {
    }

    /** Everything the gate serves, replaced whole on reload. */
    private record State(CidrIndex<GateDecision.TrunkRef> addresses,
                         Map<String, Map<String, SipUserCredentials>> sipUsers) {
        static State empty() {
            return new State(new CidrIndex<>(), new ConcurrentHashMap<>());
        }
    }

    private final TrunkRepository trunks;
    private final JdbcClient jdbc;
    private final Object writeLock = new Object();
    private volatile State state = State.empty();
    private volatile String loadedStamp = "";

    public TrunkGate(TrunkRepository trunks, JdbcClient jdbc) {
        this.trunks = trunks;
        this.jdbc = jdbc;
    }

    @Override
    public void afterPropertiesSet() {
        reload();
    }

    /** SPEC 4.3: a source matching an {@code ip} method is that trunk's call; anything else is challenged. */
    public GateDecision decide(InetAddress source, String requestUriDomain) {
        GateDecision.TrunkRef trunk = state.addresses().lookup(Cidr.of(source));
        if (trunk != null) {
            return new GateDecision.TrunkCall(trunk);
        }
        if (requestUriDomain == null || requestUriDomain.isBlank()) {
            return new GateDecision.Refused("no domain in the Request-URI to challenge for");
        }
        return new GateDecision.NeedsChallenge(requestUriDomain);
    }

    /** The trunk credentials of a SIP username under a realm, if the source satisfies their address binding. */
    public Optional<SipUserCredentials> sipUser(String realm, String username, InetAddress source) {
        Map<String, SipUserCredentials> users = state.sipUsers().get(DomainNames.key(realm));
        SipUserCredentials found = users == null ? null : users.get(username);
        if (found == null || found.source().map(range -> !range.contains(Cidr.of(source))).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(found);
    }

    /** The trunk an address belongs to, for diagnostics and tests. */
    public Optional<GateDecision.TrunkRef> trunkOf(InetAddress source) {
        return Optional.ofNullable(state.addresses().lookup(Cidr.of(source)));
    }

    void added(TrunkAuth method, String tenantDomain) {
        synchronized (writeLock) {
            put(state, method, tenantDomain);
        }
    }

    void removed(TrunkAuth method, String tenantDomain) {
        synchronized (writeLock) {
            State s = state;
            if (method.type() == TrunkAuth.Type.IP) {
                method.ip().ifPresent(range -> {
                    GateDecision.TrunkRef there = s.addresses().exact(range);
                    if (there != null && there.methodId().equals(method.id())) {
                        s.addresses().remove(range);
                    }
                });
            } else {
                Map<String, SipUserCredentials> users = s.sipUsers().get(DomainNames.key(tenantDomain));
                if (users != null) {
                    users.computeIfPresent(method.username(),
                            (k, v) -> v.trunk().methodId().equals(method.id()) ? null : v);
                }
            }
        }
    }

    /** Reloads from the database when another node (or a tenant change) moved the stamp. */
    @Scheduled(fixedDelay = 500, initialDelay = 1000)
    void pollForChanges() {
        try {
            if (!stamp().equals(loadedStamp)) {
                reload();
            }
        } catch (RuntimeException e) {
            log.warn("trunk gate poll failed; keeping the current index: {}", e.toString());
        }
    }

    /** After commit, so the reload reads what was decided; a poll repairs anything missed. */
    @TransactionalEventListener(fallbackExecution = true)
    void onTenantDomainChanged(TenantEvents.DomainChanged event) {
        reload();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onTenantActivated(TenantEvents.Activated event) {
        if (!event.created()) {
            // A new tenant has no methods yet; an enabled-again one gets its methods back.
            reload();
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onTenantDeactivated(TenantEvents.Deactivated event) {
        reload();
    }

    /** Builds a fresh index from the database and swaps it in; holds the write lock so no local change is lost. */
    public void reload() {
        synchronized (writeLock) {
            String stamp = stamp();
            State fresh = State.empty();
            var entries = trunks.gateEntries();
            for (var entry : entries) {
                put(fresh, entry.method(), entry.tenantDomain());
            }
            state = fresh;
            loadedStamp = stamp;
            log.debug("trunk gate loaded: {} methods, stamp {}", entries.size(), stamp);
        }
    }

    /** Trunk method version plus the enabled tenants' state: any change on any node moves it. */
    private String stamp() {
        return trunks.version() + ":" + ChangeStamps.of(jdbc, "tenant", "enabled = TRUE");
    }

    private static void put(State s, TrunkAuth method, String tenantDomain) {
        GateDecision.TrunkRef ref = new GateDecision.TrunkRef(method.trunkId(), method.tenantId(), method.id());
        if (method.type() == TrunkAuth.Type.IP) {
            method.ip().ifPresent(range -> s.addresses().put(range, ref));
        } else {
            s.sipUsers().computeIfAbsent(DomainNames.key(tenantDomain), k -> new ConcurrentHashMap<>())
                    .put(method.username(), new SipUserCredentials(ref, method.username(), method.ha1Md5(),
                            method.ha1Sha256(), method.ip()));
        }
    }
}
