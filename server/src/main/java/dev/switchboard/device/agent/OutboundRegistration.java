package dev.switchboard.device.agent;

import dev.switchboard.device.AccountId;
import dev.switchboard.device.AccountStatus;
import dev.switchboard.device.AccountStatus.State;
import dev.switchboard.device.SipAccountSettings;
import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.digest.DigestChallenge;
import dev.switchboard.proxy.Hop;
import dev.switchboard.proxy.UpstreamAccount;
import dev.switchboard.sip.digest.DigestClient;
import dev.switchboard.sip.message.NameAddress;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.net.IpText;
import dev.switchboard.sip.transaction.ClientTransaction;
import dev.switchboard.sip.transaction.TransactionId;
import dev.switchboard.sip.transport.Flow;
import dev.switchboard.sip.transport.Transport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one account registered upstream (RFC 3261 §10.2): REGISTER to the proxy (through the
 * outbound proxy when set), answer 401/407 with digest, refresh before the granted expiry runs
 * out, back off on failure (honouring 423 Min-Expires and Retry-After), and un-register with
 * Expires: 0 when stopped. Every state change runs on this registration's serial executor;
 * {@link #status()} may be read from anywhere.
 */
final class OutboundRegistration {

    private static final Logger log = LoggerFactory.getLogger(OutboundRegistration.class);
    private static final int MAX_EXPIRES = 7200;

    private final AccountId id;
    private final SipAccountSettings settings;
    private final Supplier<Optional<SipEngine.ClientStack>> stack;
    private final SerialExecutor serial;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Backoff backoff;
    private final StunLookup stun;
    private final DigestClient digest = new DigestClient();
    private final Target target;
    private final String callId = random() + "@switchboard";
    private final String fromTag = random();
    /** The user part of our Contact: unique per registration, so calls to it can be told apart. */
    private final String contactUser = "sb" + random();

    private volatile AccountStatus status;
    private long cseq = ThreadLocalRandom.current().nextInt(1, 10_000);
    private int requestedExpires;
    private int failures;
    private boolean stopped;
    /**
     * Set as soon as {@link #stop} is called, before its task runs: a send queued earlier (behind
     * a slow STUN lookup) then neither asks STUN nor registers what is about to be removed.
     */
    private volatile boolean stopping;
    /** A binding may exist upstream; read by the router's contact check on transport threads. */
    private volatile boolean bound;
    /** When the binding of the last successful REGISTER runs out upstream. */
    private volatile Instant boundUntil;
    private boolean stunMapped;
    private String contactHost;
    /** A contact registered before this one changed (NAT): removed upstream with the next REGISTER. */
    private String staleContact;
    private int contactPort;
    private ScheduledFuture<?> timer;
    private Attempt attempt;
    private CompletableFuture<Void> unregistered;

    /** One REGISTER exchange and its follow-ups (challenge answers, 423 retries). */
    private record Attempt(int expires, int authRounds, boolean natRetry) {
    }

    /** Challenges answered per attempt: the first, plus a few stale=true re-challenges. */
    private static final int MAX_AUTH_ROUNDS = 3;

    /** The settings this registration runs with. */
    SipAccountSettings settings() {
        return settings;
    }

    OutboundRegistration(AccountId id, SipAccountSettings settings, Supplier<Optional<SipEngine.ClientStack>> stack,
                         SerialExecutor serial, ScheduledExecutorService timers, Clock clock, Backoff backoff,
                         StunLookup stun, Optional<Instant> previousAttempt) {
        this.id = id;
        this.settings = settings;
        this.stack = stack;
        this.serial = serial;
        // Whatever a task failed on (settings the rules let through that the wire cannot take),
        // the account is in error and tried again after the back-off.
        serial.onFailure(e -> failed(500, "internal error", OptionalInt.empty()));
        this.timers = timers;
        this.clock = clock;
        this.backoff = backoff;
        this.stun = stun;
        this.target = Target.of(settings);
        this.requestedExpires = settings.registrationInterval();
        this.status = new AccountStatus(State.OFFLINE, previousAttempt, Optional.empty(), "registering",
                clock.instant());
    }

    /**
     * The status; OK only while the granted binding is in force: a refresh still unanswered when
     * the binding runs out (an unanswered UDP REGISTER times out only after 64*T1 = 32 s) is
     * an ERROR from that moment, not once the transaction gives up.
     */
    AccountStatus status() {
        AccountStatus current = status;
        Instant until = boundUntil;
        if (current.state() == State.OK && until != null && clock.instant().isAfter(until)) {
            return new AccountStatus(State.ERROR, current.lastAttempt(), current.lastCode(), "registration expired",
                    until);
        }
        return current;
    }

    AccountId id() {
        return id;
    }

    /** True when the Request-URI names the contact this registration holds upstream. */
    /** The account's user: calls arriving on the registration are for it. */
    String accountUser() {
        return settings.user();
    }

    /** The user part of the contact this registration binds upstream: random, so it names this registration alone. */
    String contactUser() {
        return contactUser;
    }

    boolean isContact(SipUri uri) {
        return bound && uri.user().map(contactUser::equals).orElse(false);
    }

    void start() {
        serial.execute(() -> register(new Attempt(requestedExpires, 0, false), Optional.empty()));
    }

    /**
     * Stops refreshing and, if a binding may exist upstream, removes it (Expires: 0). The
     * future completes when the un-REGISTER got its final answer (or nothing was to be done).
     */
    CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        stopping = true;
        serial.execute(() -> {
            stopped = true;
            cancelTimer();
            Optional<Instant> last = status.lastAttempt();
            status = new AccountStatus(State.OFFLINE, last, status.lastCode(), "disabled", clock.instant());
            if (!bound) {
                done.complete(null);
                return;
            }
            unregistered = done;
            register(new Attempt(0, 0, false), Optional.empty());
        });
        return done;
    }

    // ---- sending -------------------------------------------------------------------------

    private void register(Attempt next, Optional<Authorization> authorization) {
        if (stopped && next.expires() > 0) {
            return;
        }
        attempt = next;
        // An attempt is an attempt even when it fails before a REGISTER leaves (no route, no
        // connection): the status then shows ERROR with when it was tried, never ERROR with null.
        status = new AccountStatus(status.state(), Optional.of(clock.instant()), status.lastCode(), status.reason(),
                status.since());
        Optional<SipEngine.ClientStack> engine = stack.get();
        if (engine.isEmpty()) {
            failed(503, "SIP engine is not running", OptionalInt.empty());
            return;
        }
        InetSocketAddress remote;
        try {
            remote = new InetSocketAddress(InetAddress.getByName(target.host()), target.port());
        } catch (java.net.UnknownHostException e) {
            failed(503, "cannot resolve " + target.host(), OptionalInt.empty());
            return;
        }
        engine.get().transports().flowTo(target.transport(), remote).whenComplete((flow, error) ->
                serial.execute(() -> {
                    if (error != null) {
                        failed(503, (tlsFailure(error) ? "TLS handshake failed with " : "cannot reach ")
                                + target.host() + ":" + target.port(), OptionalInt.empty());
                    } else if (attempt == next && !abandoned(next)) {
                        send(engine.get(), flow, next, authorization);
                    }
                }));
    }

    /** A REGISTER that would bind while the account is being stopped: it would only be removed again. */
    private boolean abandoned(Attempt next) {
        return stopping && next.expires() > 0;
    }

    private void send(SipEngine.ClientStack engine, Flow flow, Attempt next, Optional<Authorization> authorization) {
        if (abandoned(next)) {
            // Being stopped (disabled, replaced by new settings): no REGISTER that would be removed again.
            return;
        }
        if (contactHost == null) {
            learnContactAddress(flow, engine);
            if (abandoned(next)) {
                return;
            }
        }
        String branch = TransactionId.MAGIC_COOKIE + random();
        String transport = target.transport().name();
        SipUri requestUri = SipUri.parse("sip:" + target.registrar());
        String aor = aor(settings.user(), settings.realm()).toString();
        String contact = contact();
        SipRequest.Builder b = SipRequest.builder("REGISTER", requestUri)
                .set("Via", "SIP/2.0/" + transport + " " + hostPort(contactHost, contactPort) + ";branch=" + branch
                        + ";rport")
                .set("Max-Forwards", "70");
        settings.outboundProxy().ifPresent(outbound -> b.set("Route", "<sip:" + outbound + ";lr>"));
        b.set("From", "<" + aor + ">;tag=" + fromTag)
                .set("To", "<" + aor + ">")
                .set("Call-ID", callId)
                .set("CSeq", (++cseq) + " REGISTER")
                .set("Contact", staleContact == null || staleContact.equals(contact) ? contact
                        : contact + ", " + staleContact + ";expires=0")
                .set("Expires", Integer.toString(next.expires()))
                .set("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS")
                .set("User-Agent", "Switchboard");
        authorization.ifPresent(a -> b.set(a.header(), a.value()));
        byte[] bytes = b.toBytes();
        ClientTransaction.Listener<SipResponse> listener = new ClientTransaction.Listener<>() {
            @Override
            public void onResponse(SipResponse response, int code) {
                serial.execute(() -> answered(next, requestUri.toString(), response));
            }

            @Override
            public void onTimeout() {
                serial.execute(() -> {
                    if (attempt == next) {
                        failed(408, "Request Timeout", OptionalInt.empty());
                    }
                });
            }

            @Override
            public void onTransportError() {
                serial.execute(() -> {
                    if (attempt == next) {
                        failed(503, "connection closed", OptionalInt.empty());
                    }
                });
            }
        };
        try {
            engine.transactions().startClient(TransactionId.client(branch, "REGISTER"), flow, bytes, r -> null,
                    listener);
        } catch (IllegalStateException e) {
            failed(503, "cannot start the transaction", OptionalInt.empty());
        }
    }

    /**
     * Contact and Via carry the STUN-learned public address when a STUN server is set (UDP),
     * else the local address the flow leaves from; a registrar's received/rport may correct it.
     */
    private void learnContactAddress(Flow flow, SipEngine.ClientStack engine) {
        InetSocketAddress local = flow.local();
        InetAddress address = local.getAddress();
        if (address == null || address.isAnyLocalAddress()) {
            address = routeSource(flow.remote()).orElse(address);
        }
        contactHost = address == null ? "127.0.0.1" : IpText.of(address);
        // Over TCP and TLS the connection's own port changes with every new connection: the
        // contact names the port we listen on, so one binding stays one binding upstream.
        contactPort = stream() ? engine.transports().localAddress(target.transport()).map(InetSocketAddress::getPort)
                .orElse(local.getPort()) : local.getPort();
        if (target.transport() == Transport.UDP) {
            // A mapping learnt over the other address family (an IPv4 STUN server, an IPv6 registrar)
            // names an address the registrar could not reach us at: the local one is used then.
            boolean remoteV6 = flow.remote().getAddress() instanceof java.net.Inet6Address;
            stun.publicAddress(settings.stun(), engine.transports())
                    .filter(mapped -> (mapped.getAddress() instanceof java.net.Inet6Address) == remoteV6)
                    .ifPresent(mapped -> {
                        contactHost = IpText.of(mapped.getAddress());
                        contactPort = mapped.getPort();
                        stunMapped = true;
                    });
        }
    }

    /** The source address the OS would use towards remote (a connected UDP socket sends nothing). */
    private static Optional<InetAddress> routeSource(InetSocketAddress remote) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(remote);
            return Optional.ofNullable(probe.getLocalAddress()).filter(a -> !a.isAnyLocalAddress());
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    // ---- answers -------------------------------------------------------------------------

    private void answered(Attempt sent, String requestUri, SipResponse response) {
        if (attempt != sent) {
            return;
        }
        int code = response.status();
        if (code < 200) {
            return;
        }
        if ((code == 401 || code == 407) && (sent.authRounds() == 0
                || (sent.authRounds() < MAX_AUTH_ROUNDS && staleChallenge(response, code)))) {
            String header = code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
            List<String> challenges = response.headers(header);
            Optional<String> credentials;
            try {
                credentials = digest.authorize(challenges, "REGISTER", requestUri, settings.authUser(),
                        settings.password());
            } catch (IllegalArgumentException unwritable) {
                // A control character stored before the rules refused it: fail (ERROR, back-off), never stall.
                log.warn("SIP account {}: its credentials cannot be written into a header: {}", id,
                        unwritable.getMessage());
                credentials = Optional.empty();
            }
            if (credentials.isPresent()) {
                register(new Attempt(sent.expires(), sent.authRounds() + 1, sent.natRetry()), Optional.of(new Authorization(
                        code == 401 ? "Authorization" : "Proxy-Authorization", credentials.get())));
                return;
            }
        }
        if (code == 423 && sent.expires() > 0) {
            OptionalInt min = header(response, "Min-Expires");
            if (min.isPresent() && min.getAsInt() > sent.expires() && min.getAsInt() <= MAX_EXPIRES) {
                requestedExpires = min.getAsInt();
                register(new Attempt(requestedExpires, 0, sent.natRetry()), Optional.empty());
                return;
            }
        }
        if (code >= 300) {
            failed(code, response.reason(), header(response, "Retry-After"));
            return;
        }
        if (sent.expires() == 0) {
            unbound();
            return;
        }
        succeeded(sent, response);
    }

    private void succeeded(Attempt sent, SipResponse response) {
        int granted = grantedExpires(response, sent.expires());
        if (!stopped && granted == 0) {
            // A 200 that lists our contact with expires=0 keeps no binding: not registered, and
            // retried with back-off like any failure (it was OK and re-sent every second).
            failed(response.status(), "registrar kept no binding (expires 0)", OptionalInt.empty());
            return;
        }
        bound = true;
        failures = 0;
        if (stopped) {
            // The REGISTER was in flight when the account was stopped: take the binding back.
            register(new Attempt(0, 0, false), Optional.empty());
            return;
        }
        // Behind NAT the registrar saw another address than ours: register that one instead.
        var via = response.topVia();
        if (!sent.natRetry() && !stunMapped && via != null) {
            String received = via.received().orElse(contactHost);
            // A stream's rport is its connection's port, not where we listen: only the address counts.
            int rport = stream() ? contactPort : via.rport().orElse(contactPort);
            if (!received.equals(contactHost) || rport != contactPort) {
                staleContact = contact();
                contactHost = received;
                contactPort = rport;
                register(new Attempt(requestedExpires, 0, true), Optional.empty());
                return;
            }
        }
        staleContact = null;
        boundUntil = clock.instant().plusSeconds(granted);
        status = new AccountStatus(State.OK, status.lastAttempt(), Optional.of(response.status()), response.reason(),
                clock.instant());
        log.info("SIP account {} registered at {} for {}s", id, target.registrar(), granted);
        // Refresh well before the binding or the registration interval runs out, whichever is
        // first (SPEC 3.2; a short interval keeps a NAT mapping open even when more was granted):
        // a fifth early, at least 5 s, never below 1 s.
        int horizon = Math.min(granted, requestedExpires);
        long refresh = Math.max(1, horizon - Math.max(5, horizon / 5));
        schedule(Duration.ofSeconds(refresh), () -> register(new Attempt(requestedExpires, 0, false),
                Optional.empty()));
    }

    private void unbound() {
        bound = false;
        log.info("SIP account {} un-registered from {}", id, target.registrar());
        if (unregistered != null) {
            unregistered.complete(null);
        }
    }

    private void failed(int code, String reason, OptionalInt retryAfter) {
        if (stopped) {
            // An un-REGISTER that failed: nothing more to do, the binding will expire upstream.
            if (unregistered != null) {
                unregistered.complete(null);
            }
            return;
        }
        failures++;
        status = new AccountStatus(State.ERROR, status.lastAttempt(), Optional.of(code), reason, clock.instant());
        Duration wait = retryAfter.isPresent() && retryAfter.getAsInt() > 0
                ? Duration.ofSeconds(retryAfter.getAsInt()) : backoff.delay(failures);
        log.warn("SIP account {} registration at {} failed: {} {}; retrying in {}s", id, target.registrar(), code,
                reason, wait.toSeconds());
        schedule(wait, () -> register(new Attempt(requestedExpires, 0, false), Optional.empty()));
    }

    private boolean staleChallenge(SipResponse response, int code) {
        return response.headers(code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate").stream()
                .map(DigestChallenge::parse).flatMap(Optional::stream).anyMatch(DigestChallenge::stale);
    }

    /** Our contact's expires parameter, else the Expires header, else what we asked for. */
    private int grantedExpires(SipResponse response, int asked) {
        // Ours is the contact with our user, host and port: others of the AOR have their own expiries.
        for (NameAddress c : response.contacts()) {
            if (c.sipUri().filter(u -> u.user().map(contactUser::equals).orElse(false)
                    && IpText.canonicalIpv6(u.host()).orElse(u.host()).equalsIgnoreCase(contactHost)
                    && u.port().orElse(target.transport().defaultPort()) == contactPort).isPresent()) {
                Optional<String> expires = c.param("expires");
                if (expires.isPresent()) {
                    try {
                        return Math.max(0, Integer.parseInt(expires.get().trim()));
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
        }
        var header = response.expires();
        return header.isPresent() ? (int) Math.max(0, Math.min(header.getAsLong(), MAX_EXPIRES)) : asked;
    }

    /** Whether the connection was made but its TLS handshake failed (a certificate refused, say). */
    private static boolean tlsFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    private boolean stream() {
        return target.transport() != Transport.UDP;
    }

    private String contact() {
        return "<" + SipUri.of(contactUser, contactHost, contactPort)
                + (stream() ? ";transport=" + target.transport().name().toLowerCase(Locale.ROOT) : "") + ">";
    }

    /**
     * The account's address of record, user at realm. The realm is host and optional port
     * (SPEC 3.2), an IPv6 host in brackets: only the colon after a host or after {@code ]} starts a port.
     */
    static SipUri aor(String user, String realm) {
        int colon = realm.lastIndexOf(':');
        boolean hasPort = colon > 0 && (realm.startsWith("[") ? realm.charAt(colon - 1) == ']'
                : realm.indexOf(':') == colon);
        if (hasPort) {
            try {
                return SipUri.of(user, realm.substring(0, colon), Integer.parseInt(realm.substring(colon + 1)));
            } catch (NumberFormatException e) {
                // Not a port after all: the whole realm is the host.
            }
        }
        return SipUri.of(user, realm, -1);
    }

    private static OptionalInt header(SipResponse response, String name) {
        Optional<String> value = response.header(name);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        String digits = value.get().trim();
        int end = 0;
        while (end < digits.length() && Character.isDigit(digits.charAt(end))) {
            end++;
        }
        try {
            return end == 0 ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(digits.substring(0, end)));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private void schedule(Duration delay, Runnable task) {
        cancelTimer();
        timer = timers.schedule(() -> serial.execute(() -> {
            if (!stopped) {
                task.run();
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Where calls leave through this account, and its credentials (for the proxy). */
    UpstreamAccount upstream() {
        // The provider's domain names the Request-URI (as in the REGISTER's AOR); else the registrar's address.
        String registrar = settings.realm() == null || settings.realm().isEmpty() ? target.registrar() : settings.realm();
        int colon = registrar.lastIndexOf(':');
        boolean hasPort = colon > registrar.lastIndexOf(']') && colon >= 0;
        String host = hasPort ? registrar.substring(0, colon) : registrar;
        int port = hasPort ? Integer.parseInt(registrar.substring(colon + 1)) : -1;
        return new UpstreamAccount(host, port, new Hop(target.transport(), target.host(), target.port()),
                settings.authUser(), settings.password());
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static String random() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private record Authorization(String header, String value) {
    }
}
