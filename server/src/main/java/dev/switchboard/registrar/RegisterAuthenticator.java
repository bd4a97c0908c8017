package dev.switchboard.registrar;

import dev.switchboard.registrar.SipDirectory.SipTenant;
import dev.switchboard.registrar.SipDirectory.SipUser;
import dev.switchboard.sip.digest.DigestCredentials;
import dev.switchboard.sip.digest.DigestOutcome;
import dev.switchboard.sip.digest.DigestVerifier;
import dev.switchboard.sip.digest.Ha1Set;
import dev.switchboard.sip.digest.NonceService;
import dev.switchboard.sip.digest.NonceStatus;
import dev.switchboard.sip.message.SipRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;

/**
 * Digest authentication of REGISTER (RFC 3261 §22, RFC 8760): throttle first, so a locked user or
 * address costs one map read; then the credentials for the tenant's realm, verified against the
 * AOR's HA1s. The digest username must be the AOR's user part. An unknown user, a username that
 * is not the AOR's and a wrong password all cost one hash and get the same answer.
 *
 * <p>Nothing is remembered for a request without credentials (the challenge nonce is stateless),
 * so a flood of unauthenticated REGISTERs creates no state; failures cost one counter per
 * source and user in the bounded {@link RegisterThrottle}.
 */
public final class RegisterAuthenticator {

    /** The verdict. */
    public sealed interface Outcome {

        record Accepted(SipUser user) implements Outcome {
        }

        /** Answer 401 with these WWW-Authenticate values. */
        record Challenged(List<String> wwwAuthenticate) implements Outcome {
        }

        /** Wrong credentials or unknown user: 403. */
        record Refused() implements Outcome {
        }

        /** The user or the source is locked: 403 without any digest work. */
        record Locked() implements Outcome {
        }
    }

    private final SipDirectory directory;
    private final NonceService nonces;
    private final DigestVerifier verifier;
    private final RegisterThrottle throttle;
    private final RegistrarAudit audit;
    private final Counter failures;
    private final Counter locks;
    private final TenantChallenges challenges;

    public RegisterAuthenticator(SipDirectory directory, NonceService nonces, DigestVerifier verifier,
                                 RegisterThrottle throttle, RegistrarAudit audit, MeterRegistry meters,
                                 List<String> md5OnlyUserAgents) {
        this.challenges = new TenantChallenges(nonces, md5OnlyUserAgents);
        this.directory = directory;
        this.nonces = nonces;
        this.verifier = verifier;
        this.throttle = throttle;
        this.audit = audit;
        this.failures = Counter.builder("sip.registrar.auth.failures")
                .description("REGISTER digest attempts refused (wrong password, unknown user)")
                .register(meters);
        this.locks = Counter.builder("sip.registrar.locks")
                .description("Users or source addresses locked after repeated REGISTER digest failures")
                .register(meters);
    }

    /** What {@link #screen} found: an answer that needs no digest work, or credentials to verify. */
    public sealed interface Screening {
        /** Answer with this (a lock, a challenge): no state, so it can be sent statelessly. */
        record Answer(Outcome outcome) implements Screening {
        }

        /** The request carries credentials for the realm with a nonce of ours: {@link #verify} them. */
        record Verify(DigestCredentials credentials, NonceStatus nonce) implements Screening {
        }
    }

    /**
     * The verdict when it needs neither digest work nor state: {@link Outcome.Locked} for a locked
     * user or source, {@link Outcome.Challenged} for a request without credentials for the realm;
     * else the credentials, parsed once, for {@link #verify}.
     */
    public Screening screen(SipRequest request, SipTenant tenant, AddressOfRecord aor, String sourceIp) {
        if (throttle.isLocked(sourceIp, userKey(tenant, aor))) {
            return new Screening.Answer(new Outcome.Locked());
        }
        Optional<DigestCredentials> credentials = credentialsFor(request, tenant.domain());
        if (credentials.isEmpty()) {
            return new Screening.Answer(challenge(request, tenant, false));
        }
        NonceStatus nonce = nonces.validate(credentials.get().nonce(), tenant.domain());
        if (nonce instanceof NonceStatus.Invalid) {
            // A nonce we never issued (a scanner's made-up one): no password can be tried with it,
            // so it is answered as a request without credentials is, statelessly (SPEC 4.4).
            return new Screening.Answer(challenge(request, tenant, false));
        }
        return new Screening.Verify(credentials.get(), nonce);
    }

    /**
     * The AOR to authenticate a REGISTER against when its To names none of the tenant's: the
     * digest username's own, so that a user with the right password is told 404 and anyone else
     * is refused as for an unknown user.
     */
    public AddressOfRecord claimant(SipRequest request, SipTenant tenant) {
        return new AddressOfRecord(credentialsFor(request, tenant.domain()).map(DigestCredentials::username).orElse(""),
                tenant.domain());
    }

    public Outcome authenticate(SipRequest request, SipTenant tenant, AddressOfRecord aor, String sourceIp) {
        Screening screened = screen(request, tenant, aor, sourceIp);
        if (screened instanceof Screening.Verify verify) {
            return verify(request, tenant, aor, sourceIp, verify);
        }
        return ((Screening.Answer) screened).outcome();
    }

    /** Checks credentials that {@link #screen} found, counting a wrong response towards the locks. */
    public Outcome verify(SipRequest request, SipTenant tenant, AddressOfRecord aor, String sourceIp,
                          Screening.Verify screened) {
        DigestCredentials c = screened.credentials();
        Optional<SipUser> user = c.username().equals(aor.user())
                ? directory.user(tenant.id(), aor.user()) : Optional.empty();
        DigestOutcome outcome = verifier.verify(c, request.method(), DigestUris.forVerification(request, c),
                tenant.domain(), user.map(SipUser::ha1).orElse(Ha1Set.none()), screened.nonce());
        if (outcome instanceof DigestOutcome.Accepted && user.isPresent()) {
            throttle.succeeded(userKey(tenant, aor));
            return new Outcome.Accepted(user.get());
        }
        if (outcome instanceof DigestOutcome.Stale) {
            return challenge(request, tenant, true);
        }
        if (outcome instanceof DigestOutcome.Rejected rejected && !isFailure(rejected.reason())) {
            // Not a guess at a password (an old nonce, another realm, a client bug): just challenge again.
            return challenge(request, tenant, false);
        }
        if (!c.username().equals(aor.user())) {
            // Another user's digest for this AOR (RFC 3261 §10.3 step 4 refuses it): nobody's
            // password was tried, so only the source is counted, and the audit names both.
            fail(tenant, "sip:" + c.username() + "@" + tenant.domain() + " for " + aor, sourceIp,
                    throttle.failSource(sourceIp));
        } else {
            fail(tenant, aor.toString(), sourceIp, throttle.fail(sourceIp, userKey(tenant, aor)));
        }
        return new Outcome.Refused();
    }

    private static String userKey(SipTenant tenant, AddressOfRecord aor) {
        return tenant.id() + ":" + aor.user();
    }

    /** Reasons that count as a failed attempt: the response was computed and wrong (a guess at the password). */
    private static boolean isFailure(DigestOutcome.Reason reason) {
        return reason == DigestOutcome.Reason.BAD_RESPONSE;
    }

    /** Counts and audits a failed attempt on {@code who}, and the lock the throttle's verdict says it set. */
    private void fail(SipTenant tenant, String who, String sourceIp, RegisterThrottle.Verdict verdict) {
        failures.increment();
        audit.failure(tenant.id(), who, sourceIp);
        verdict.locked().ifPresent(what -> {
            locks.increment();
            audit.locked(RegistrarAudit.LOCKED, tenant.id(), who, sourceIp, what);
        });
    }

    private Outcome challenge(SipRequest request, SipTenant tenant, boolean stale) {
        return new Outcome.Challenged(challenges.headerValues(request, tenant.domain(), stale));
    }

    private static Optional<DigestCredentials> credentialsFor(SipRequest request, String realm) {
        return TenantChallenges.credentialsFor(request.authorizations(), realm);
    }
}
