package dev.switchboard.proxy;

import dev.switchboard.registrar.DigestUris;
import dev.switchboard.registrar.RegisterThrottle;
import dev.switchboard.registrar.RegistrarAudit;
import dev.switchboard.registrar.SipDirectory;
import dev.switchboard.registrar.TenantChallenges;
import dev.switchboard.registrar.SipDirectory.SipTenant;
import dev.switchboard.sip.digest.DigestCredentials;
import dev.switchboard.sip.digest.DigestOutcome;
import dev.switchboard.sip.digest.DigestVerifier;
import dev.switchboard.sip.digest.Ha1Set;
import dev.switchboard.sip.digest.NonceService;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.net.IpText;
import dev.switchboard.trunk.TrunkGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The trunk gate on SIP traffic (SPEC 4.3) for every request that is not a REGISTER: a source
 * inside a trunk's {@code ip} method is that trunk's call; anything else is challenged with 407 in
 * the realm of the Request-URI's tenant and let in with the credentials of a {@code sipuser} trunk
 * method (from its address, when the method names one) or of a user of that tenant; otherwise 403.
 *
 * <p>Like REGISTER, failures count toward the same per-source and per-user lockout, an unknown
 * username costs the same hash as a wrong password, and a request without credentials creates no
 * state (the nonce is stateless).
 */
public final class CallAuthenticator {

    /** The verdict. */
    public sealed interface Verdict {

        /** Let in; {@code byCredentials} when by digest (its Proxy-Authorization is ours, not for the next hop). */
        record Admitted(Caller caller, boolean byCredentials) implements Verdict {
        }

        /** Answer 407 with these Proxy-Authenticate values. */
        record Challenged(List<String> proxyAuthenticate) implements Verdict {
        }

        /** 403: not a domain of ours, wrong credentials, or a locked user or source. */
        record Refused(String reason) implements Verdict {
        }
    }

    /** How the look without digest work ended: decided, or credentials to verify in a transaction. */
    public sealed interface Screening {

        /** Decided already: a trunk's source admitted, or challenged, or refused. */
        record Decided(Verdict verdict) implements Screening {
        }

        /** Digest credentials for the tenant's realm, looked up and parsed once for {@link #verify}. */
        record Credentials(SipTenant tenant, DigestCredentials credentials) implements Screening {
        }
    }

    private final SipDirectory directory;
    private final TrunkGate gate;
    private final DigestVerifier verifier;
    private final RegisterThrottle throttle;
    private final RegistrarAudit audit;
    private final TenantChallenges challenges;
    private final Predicate<String> localHost;
    private final Counter failures;
    private final Counter locks;

    public CallAuthenticator(SipDirectory directory, TrunkGate gate, NonceService nonces, DigestVerifier verifier,
                             RegisterThrottle throttle, RegistrarAudit audit, List<String> md5OnlyUserAgents,
                             Predicate<String> localHost, MeterRegistry meters) {
        this.directory = directory;
        this.gate = gate;
        this.verifier = verifier;
        this.throttle = throttle;
        this.audit = audit;
        this.localHost = localHost;
        this.challenges = new TenantChallenges(nonces, md5OnlyUserAgents);
        this.failures = Counter.builder("sip.proxy.auth.failures")
                .description("Call digest attempts refused (wrong password, unknown user, replay)").register(meters);
        this.locks = Counter.builder("sip.proxy.auth.locks")
                .description("Users or source addresses locked after repeated call digest failures").register(meters);
    }

    /**
     * The verdict when it needs no digest work: a trunk's source is admitted, a request for no
     * tenant of ours or from a locked source is refused, one without credentials is challenged.
     * Otherwise the credentials to {@link #verify} (inside a transaction, so retransmissions do
     * not count twice).
     */
    public Screening screen(SipRequest request, InetAddress source) {
        var trunk = gate.trunkOf(source).filter(t -> !addressedToAnotherTenant(request, t.tenantId()));
        if (trunk.isPresent()) {
            return new Screening.Decided(new Verdict.Admitted(new Caller.Trunk(trunk.get()), false));
        }
        Optional<SipTenant> tenant = realmTenant(request);
        if (tenant.isEmpty()) {
            return new Screening.Decided(new Verdict.Refused("not a domain of ours"));
        }
        if (throttle.isLocked(IpText.of(source), "")) {
            return new Screening.Decided(new Verdict.Refused("source locked"));
        }
        Optional<DigestCredentials> credentials = credentialsFor(request, tenant.get().domain());
        if (credentials.isEmpty()) {
            return new Screening.Decided(challenge(request, tenant.get(), false));
        }
        return new Screening.Credentials(tenant.get(), credentials.get());
    }

    /** Screens and, when there are credentials, verifies them. */
    public Verdict authenticate(SipRequest request, InetAddress source) {
        return verdict(request, source, screen(request, source));
    }

    /** The verdict a {@link #screen} of this request leads to: its decision, or its credentials verified. */
    public Verdict verdict(SipRequest request, InetAddress source, Screening screening) {
        return screening instanceof Screening.Credentials credentials
                ? verify(request, source, credentials)
                : ((Screening.Decided) screening).verdict();
    }

    /** Verifies the credentials a {@link #screen} of this request found. */
    private Verdict verify(SipRequest request, InetAddress source, Screening.Credentials screened) {
        SipTenant tenant = screened.tenant();
        DigestCredentials c = screened.credentials();
        String sourceIp = IpText.of(source);
        String userKey = tenant.id() + ":" + c.username();
        if (throttle.isLocked(sourceIp, userKey)) {
            return new Verdict.Refused("user locked");
        }
        var trunkUser = gate.sipUser(tenant.domain(), c.username(), source);
        var user = trunkUser.isPresent() ? Optional.<SipDirectory.SipUser>empty()
                : directory.user(tenant.id(), c.username());
        Ha1Set ha1 = trunkUser.map(t -> Ha1Set.of(t.ha1Md5(), t.ha1Sha256()))
                .or(() -> user.map(SipDirectory.SipUser::ha1))
                .orElse(Ha1Set.none());
        DigestOutcome outcome = verifier.verify(c, request.method(), DigestUris.forVerification(request, c),
                tenant.domain(), ha1);
        if (outcome instanceof DigestOutcome.Accepted && (trunkUser.isPresent() || user.isPresent())) {
            throttle.succeeded(userKey);
            if (trunkUser.isPresent()) {
                return new Verdict.Admitted(new Caller.Trunk(trunkUser.get().trunk()), true);
            }
            if (user.isPresent()) {
                return new Verdict.Admitted(new Caller.User(user.get()), true);
            }
        }
        if (outcome instanceof DigestOutcome.Stale) {
            return challenge(request, tenant, true);
        }
        if (outcome instanceof DigestOutcome.Rejected rejected && !isFailure(rejected.reason())) {
            return challenge(request, tenant, false);
        }
        fail(tenant, c.username(), sourceIp, userKey);
        return new Verdict.Refused("wrong credentials");
    }

    /**
     * Whether the Request-URI names another tenant's domain than the trunk's. A trunk's address
     * lets in its carrier's calls for its own tenant (its DIDs, at its domain or at our address),
     * never a call for another tenant: otherwise a tenant Admin could list as its trunk's the
     * address of another tenant's phone, or of this server itself (a call looping out through a
     * SIP account), and take those callers' calls as its own, unchallenged.
     */
    private boolean addressedToAnotherTenant(SipRequest request, java.util.UUID trunkTenant) {
        return request.requestUri() instanceof SipUri uri && directory.tenantByDomain(uri.host())
                .filter(t -> !t.id().equals(trunkTenant)).isPresent();
    }

    /**
     * The tenant whose realm challenges the request: the Request-URI's domain or, when the
     * Request-URI names this server by address, the From domain (the caller's tenant).
     */
    Optional<SipTenant> realmTenant(SipRequest request) {
        if (!(request.requestUri() instanceof SipUri uri)) {
            return Optional.empty();
        }
        Optional<SipTenant> tenant = directory.tenantByDomain(uri.host());
        if (tenant.isEmpty() && localHost.test(uri.host()) && request.from().uri() instanceof SipUri from) {
            tenant = directory.tenantByDomain(from.host());
        }
        return tenant.filter(SipTenant::enabled);
    }

    private static boolean isFailure(DigestOutcome.Reason reason) {
        return reason == DigestOutcome.Reason.BAD_RESPONSE;
    }

    private void fail(SipTenant tenant, String username, String sourceIp, String userKey) {
        failures.increment();
        String who = "sip:" + username + "@" + tenant.domain();
        audit.failure(RegistrarAudit.CALL_FAILURE, tenant.id(), who, sourceIp);
        throttle.fail(sourceIp, userKey).locked().ifPresent(what -> {
            locks.increment();
            audit.locked(RegistrarAudit.CALL_LOCKED, tenant.id(), who, sourceIp, what);
        });
    }

    private Verdict challenge(SipRequest request, SipTenant tenant, boolean stale) {
        return new Verdict.Challenged(challenges.headerValues(request, tenant.domain(), stale));
    }

    /** The Digest credentials in Proxy-Authorization addressed to the tenant's realm. */
    static Optional<DigestCredentials> credentialsFor(SipRequest request, String realm) {
        return TenantChallenges.credentialsFor(request.proxyAuthorizations(), realm);
    }
}
