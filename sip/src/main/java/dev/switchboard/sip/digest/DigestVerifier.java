package dev.switchboard.sip.digest;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks digest credentials against stored HA1 values: realm, uri, algorithm, qop, nonce
 * authenticity and age, the response itself (in constant time) and nonce-count replay.
 *
 * <p>Thread-safe; one instance serves all tenants of a node. Holds no lock while hashing.
 */
public final class DigestVerifier {

    /**
     * Tunables.
     *
     * @param algorithms       algorithms accepted; should match what the challenges offer
     * @param allowNoQop       accept RFC 2069 style answers without qop; they cannot be
     *                         protected against replay within the nonce lifetime, so off by default
     * @param maxTrackedNonces bound of the nonce-count memory (48 to 80 bytes per entry, allocated at start)
     * @param clock            time source, shared with the {@link NonceService} in tests
     */
    public record Settings(Set<DigestAlgorithm> algorithms, boolean allowNoQop, int maxTrackedNonces, Clock clock) {

        public Settings {
            algorithms = Set.copyOf(algorithms);
            Objects.requireNonNull(clock, "clock");
            if (algorithms.isEmpty() || maxTrackedNonces < 1) {
                throw new IllegalArgumentException("need at least one algorithm and a positive nonce bound");
            }
        }

        /** SHA-256 and MD5 (what {@link Challenge} offers), qop=auth required, 100 000 tracked nonces. */
        public static Settings defaults() {
            return new Settings(EnumSet.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5), false, 100_000,
                    Clock.systemUTC());
        }

        public Settings withAllowNoQop(boolean allow) {
            return new Settings(algorithms, allow, maxTrackedNonces, clock);
        }

        public Settings withAlgorithms(Set<DigestAlgorithm> accepted) {
            return new Settings(accepted, allowNoQop, maxTrackedNonces, clock);
        }

        public Settings withMaxTrackedNonces(int max) {
            return new Settings(algorithms, allowNoQop, max, clock);
        }

        public Settings withClock(Clock c) {
            return new Settings(algorithms, allowNoQop, maxTrackedNonces, c);
        }
    }

    /** Hashed in place of a missing HA1 so an unknown user costs the same as a wrong password. */
    private static final String DUMMY_MD5 = "0".repeat(32);
    private static final String DUMMY_SHA256 = "0".repeat(64);

    private final NonceValidator nonces;
    private final Settings settings;
    private final NonceCountTracker counts;

    public DigestVerifier(NonceValidator nonces) {
        this(nonces, Settings.defaults());
    }

    public DigestVerifier(NonceValidator nonces, Settings settings) {
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.settings = Objects.requireNonNull(settings, "settings");
        // Nonces issued before this verifier started may have been used under a tracker that is gone
        // (a restart): their counts are unknown, so they are answered stale like forgotten ones.
        this.counts = new NonceCountTracker(settings.maxTrackedNonces(),
                settings.clock().instant().minus(NonceCountTracker.ISSUE_TIME_ROUNDING));
    }

    /**
     * Parses and verifies a credentials header value in one step; unparseable values are
     * {@link DigestOutcome.Reason#MALFORMED}. Look up {@code ha1} by the username in the
     * value, e.g. via {@link DigestCredentials#parse} first and then {@link #verify(DigestCredentials, String, String, String, Ha1Set)}.
     */
    public DigestOutcome verify(String credentialsHeaderValue, String method, String requestUri,
            String expectedRealm, Ha1Set ha1) {
        Optional<DigestCredentials> credentials = DigestCredentials.parse(credentialsHeaderValue);
        return credentials.isEmpty()
                ? new DigestOutcome.Rejected(DigestOutcome.Reason.MALFORMED)
                : verify(credentials.get(), method, requestUri, expectedRealm, ha1);
    }

    /**
     * Verifies credentials of a request.
     *
     * @param method        the request method, e.g. {@code REGISTER}
     * @param requestUri    the Request-URI as received; the credentials' {@code uri} must equal it
     * @param expectedRealm the realm we challenged with (the tenant's domain)
     * @param ha1           stored HA1 values of {@code credentials.username()}; {@link Ha1Set#none()} if unknown
     */
    public DigestOutcome verify(DigestCredentials credentials, String method, String requestUri,
            String expectedRealm, Ha1Set ha1) {
        return verify(credentials, method, requestUri, expectedRealm, ha1, null);
    }

    /**
     * As {@link #verify(DigestCredentials, String, String, String, Ha1Set)}, with the nonce's status
     * already found by {@link NonceValidator#validate} for {@code expectedRealm} (null: found here),
     * so a caller that screened the nonce first does not compute its HMAC twice.
     */
    public DigestOutcome verify(DigestCredentials credentials, String method, String requestUri,
            String expectedRealm, Ha1Set ha1, NonceStatus nonceStatus) {
        if (!credentials.realm().equals(expectedRealm)) {
            return reject(DigestOutcome.Reason.REALM_MISMATCH);
        }
        if (!credentials.uri().equals(requestUri)) {
            return reject(DigestOutcome.Reason.URI_MISMATCH);
        }
        DigestAlgorithm algorithm = credentials.algorithm();
        if (!settings.algorithms().contains(algorithm)) {
            return reject(DigestOutcome.Reason.UNSUPPORTED_ALGORITHM);
        }
        if (credentials.qop().isPresent() && !credentials.qop().get().equals("auth")) {
            return reject(DigestOutcome.Reason.UNSUPPORTED_QOP);
        }
        if (credentials.qop().isEmpty() && !settings.allowNoQop()) {
            return reject(DigestOutcome.Reason.QOP_REQUIRED);
        }
        NonceStatus nonce = nonceStatus != null ? nonceStatus : nonces.validate(credentials.nonce(), expectedRealm);
        if (nonce instanceof NonceStatus.Invalid) {
            return reject(DigestOutcome.Reason.INVALID_NONCE);
        }
        // The response is checked before staleness: RFC 7616 §3.3 wants stale=true only for
        // a request that was right apart from its nonce's age.
        if (!responseMatches(credentials, method, ha1.forAlgorithm(algorithm))) {
            return reject(DigestOutcome.Reason.BAD_RESPONSE);
        }
        if (!(nonce instanceof NonceStatus.Valid valid)) {
            return new DigestOutcome.Stale();
        }
        if (credentials.qop().isPresent()) {
            switch (counts.accept(credentials.nonce(), credentials.nonceCount(), valid.issuedAt(), valid.expiresAt(),
                    settings.clock().instant())) {
                case REPLAYED:
                case FORGOTTEN:
                    // A right response whose nonce use cannot be accepted (its count was used, or is
                    // no longer remembered): a replay gets nothing from a fresh challenge, and a
                    // client that does not count (some embedded ones) retries with the new nonce.
                    return new DigestOutcome.Stale();
                case ACCEPTED:
                    break;
            }
        }
        return new DigestOutcome.Accepted(credentials.username(), algorithm);
    }

    private static boolean responseMatches(DigestCredentials c, String method, Optional<String> storedHa1) {
        String ha1 = storedHa1.orElse(c.algorithm().base() == DigestAlgorithm.MD5 ? DUMMY_MD5 : DUMMY_SHA256);
        byte[] expected = DigestResponse.hex(c.algorithm(), ha1, c.nonce(), c.nc(), c.cnonce(), c.qop(),
                method, c.uri());
        return equalInConstantTime(expected, c.response()) && storedHa1.isPresent();
    }

    /** Whether the text is these ASCII bytes, in time independent of where they differ (the length is no secret). */
    static boolean equalInConstantTime(byte[] expected, String actual) {
        if (actual.length() != expected.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference |= expected[i] ^ actual.charAt(i);
        }
        return difference == 0;
    }

    private static DigestOutcome reject(DigestOutcome.Reason reason) {
        return new DigestOutcome.Rejected(reason);
    }
}
