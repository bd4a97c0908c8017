package dev.switchboard.proxy;

import dev.switchboard.registrar.AddressOfRecord;
import dev.switchboard.registrar.Binding;
import dev.switchboard.registrar.LocationStore;
import dev.switchboard.registrar.SipDirectory;
import dev.switchboard.registrar.SipDirectory.SipTenant;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.message.TelUri;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.tenant.OutboundRoute;
import dev.switchboard.trunk.Trunk;
import dev.switchboard.trunk.TrunkHealth;
import dev.switchboard.trunk.TrunkRoutes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a call the gate let in goes (SPEC 4.3), by the Request-URI's user part within the
 * caller's tenant: a user's extension forks to all of that user's live bindings (480 when there
 * are none); a telephone number goes to the tenant's outbound trunk; anything else is 404. Only
 * in-memory indexes are read, so routing is safe on the event loop.
 */
public final class CallRouter {

    private static final Logger log = LoggerFactory.getLogger(CallRouter.class);

    /** The routing decision. */
    public sealed interface Decision {

        /** Forward to these targets in parallel (RFC 3261 §16.6). */
        record Fork(List<Target> targets) implements Decision {
        }

        /** Answer the caller with this failure. */
        record Reject(int status, String reason) implements Decision {
        }
    }

    private final SipDirectory directory;
    private final LocationStore locations;
    private final TrunkRoutes trunks;
    private final OutboundAccounts accounts;
    private final TrunkHealth health;
    private final Clock clock;

    public CallRouter(SipDirectory directory, LocationStore locations, TrunkRoutes trunks, OutboundAccounts accounts,
                      TrunkHealth health, Clock clock) {
        this.health = health;
        this.accounts = accounts;
        this.directory = directory;
        this.locations = locations;
        this.trunks = trunks;
        this.clock = clock;
    }

    public Decision route(SipRequest request, Caller caller) {
        if (caller instanceof Caller.Trunk trunk && request.isMethod("INVITE")) {
            health.callIn(trunk.trunk().trunkId(), clock.instant());
        }
        Optional<SipTenant> tenant = directory.tenantById(caller.tenantId()).filter(SipTenant::enabled);
        if (tenant.isEmpty()) {
            return new Decision.Reject(403, "Forbidden");
        }
        Optional<String> dialled = userPart(request);
        if (dialled.isEmpty()) {
            return new Decision.Reject(404, "Not Found");
        }
        String user = dialled.get();
        if (directory.user(tenant.get().id(), user).isPresent()) {
            return toUser(new AddressOfRecord(user, tenant.get().domain()));
        }
        if (UserPartFormat.isNumber(user) && tenant.get().outboundRoute() == OutboundRoute.SIP_ACCOUNT) {
            // Configured to leave through the SIP account: if it is not set up, say so rather than
            // quietly taking another way out.
            return accounts.of(tenant.get().id())
                    .<Decision>map(account -> new Decision.Fork(List.of(throughAccount(account, user))))
                    .orElseGet(() -> new Decision.Reject(503, "Service Unavailable"));
        }
        if (UserPartFormat.isNumber(user)) {
            return trunks.outboundTrunk(tenant.get().id())
                    .<Decision>map(trunk -> {
                        if (request.isMethod("INVITE")) {
                            health.callOut(trunk.id(), clock.instant());
                        }
                        return new Decision.Fork(List.of(toTrunk(trunk, user)));
                    })
                    .orElseGet(() -> new Decision.Reject(404, "Not Found"));
        }
        return new Decision.Reject(404, "Not Found");
    }

    /**
     * A call arriving on a SIP account's registration: to the tenant user the account's user
     * names (username or extension), else 404. Never out through a trunk or an account.
     */
    public Decision arrival(AccountContact account) {
        Optional<SipTenant> tenant = account.tenantId().flatMap(directory::tenantById).filter(SipTenant::enabled);
        if (tenant.isEmpty()) {
            // The system-level agent has no users to ring.
            return new Decision.Reject(480, "Temporarily Unavailable");
        }
        if (directory.user(tenant.get().id(), account.user()).isPresent()) {
            return toUser(new AddressOfRecord(account.user(), tenant.get().domain()));
        }
        return new Decision.Reject(404, "Not Found");
    }

    /** Every live binding, highest q first (all are rung at once; the order only sets the send order). */
    private Decision toUser(AddressOfRecord aor) {
        Instant now = clock.instant();
        List<Binding> live = new ArrayList<>();
        for (Binding b : locations.lookup(aor.key())) {
            if (!b.expiredAt(now)) {
                live.add(b);
            }
        }
        if (live.isEmpty()) {
            return new Decision.Reject(480, "Temporarily Unavailable");
        }
        oneFlowPerInstance(live);
        live.sort(Comparator.comparingInt((Binding b) -> b.qMillis() < 0 ? 1000 : b.qMillis()).reversed());
        List<Target> targets = new ArrayList<>(live.size());
        for (Binding b : live) {
            try {
                // A contact's URI headers (…?Route=…) are no part of a Request-URI (RFC 3261 §19.1.1).
                SipUri contact = SipUri.parse(b.contact()).withoutHeaders();
                // NAT: the request goes where the REGISTER came from, unless a Path names the way (RFC 3327).
                Hop hop = b.path().isEmpty() ? Hop.ofSource(b.source(), b.transport())
                        : Hop.of(pathUri(b.path().get(0)));
                targets.add(new Target(contact, b.path(), hop, "binding " + b.source(), Optional.empty(),
                        b.path().isEmpty()));
            } catch (RuntimeException unusable) {
                // One binding that cannot be reached must not keep the call from the others.
                log.warn("binding {} of {} skipped: {}", b.id(), aor, unusable.getMessage());
            }
        }
        if (targets.isEmpty()) {
            return new Decision.Reject(480, "Temporarily Unavailable");
        }
        return new Decision.Fork(targets);
    }

    /**
     * RFC 5626 §7: a UA registered over several flows (same {@code +sip.instance}, other
     * {@code reg-id}) is one device and is rung once, over the flow it registered last.
     */
    private static void oneFlowPerInstance(List<Binding> live) {
        Map<String, Binding> latest = new HashMap<>();
        for (Binding b : live) {
            b.instance().ifPresent(instance -> latest.merge(instance, b,
                    (kept, other) -> other.registeredAt().isAfter(kept.registeredAt()) ? other : kept));
        }
        if (!latest.isEmpty()) {
            live.removeIf(b -> b.instance().isPresent() && latest.get(b.instance().get()) != b);
        }
    }

    private static Target toTrunk(Trunk trunk, String dialled) {
        Transport transport = Transport.of(trunk.transport()).orElse(Transport.UDP);
        String user = UserPartFormat.apply(trunk.userFormat(), dialled);
        SipUri uri = SipUri.of(user, trunk.domain(), trunk.port());
        if (transport != Transport.UDP) {
            uri = uri.withParam("transport", transport.name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Target(uri, List.of(), new Hop(transport, trunk.domain(), trunk.port()), "trunk " + trunk.name());
    }


    private static Target throughAccount(UpstreamAccount account, String dialled) {
        SipUri uri = SipUri.of(dialled, account.host(), account.port());
        if (account.hop().transport() != Transport.UDP) {
            uri = uri.withParam("transport", account.hop().transport().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Target(uri, List.of(), account.hop(), "sip account " + account.host(), Optional.of(account));
    }

    /** The first hop of a binding's Path (an entry stored before Path lines were split may list several). */
    private static SipUri pathUri(String path) {
        return dev.switchboard.sip.message.NameAddress.parseList(path).get(0).sipUri()
                .orElseThrow(() -> new IllegalStateException("Path is not a SIP URI: " + path));
    }

    /** The dialled user: a SIP URI's user part, or a tel URI's number. */
    static Optional<String> userPart(SipRequest request) {
        if (request.requestUri() instanceof SipUri uri) {
            return uri.user().filter(u -> !u.isEmpty());
        }
        if (request.requestUri() instanceof TelUri tel) {
            return Optional.of(tel.number());
        }
        return Optional.empty();
    }
}
