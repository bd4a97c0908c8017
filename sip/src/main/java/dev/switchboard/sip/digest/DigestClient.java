package dev.switchboard.sip.digest;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers 401/407 challenges to our own outbound requests (registrations, calls through a
 * SIP account): picks the strongest usable challenge, SHA-256 before MD5, and counts nc
 * per nonce so a nonce can be reused for later requests.
 *
 * <p>Thread-safe. One instance per upstream account is typical.
 */
public final class DigestClient {

    /** Most preferred first; -sess only when the server offers nothing better. */
    private static final List<DigestAlgorithm> PREFERENCE = List.of(
            DigestAlgorithm.SHA_256, DigestAlgorithm.SHA_256_SESS, DigestAlgorithm.MD5, DigestAlgorithm.MD5_SESS);
    /** Nonces we keep counting for; an account rarely holds more than one or two at once. */
    private static final int MAX_NONCES = 64;

    private final Supplier<String> cnonceSource;
    private final Map<String, Long> nonceCounts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_NONCES;
        }
    };

    /** A client drawing 128-bit random cnonces. */
    public DigestClient() {
        this(randomCnonces(new SecureRandom()));
    }

    /** A client with the given cnonce source, e.g. a fixed value to reproduce RFC examples. */
    public DigestClient(Supplier<String> cnonceSource) {
        this.cnonceSource = Objects.requireNonNull(cnonceSource, "cnonceSource");
    }

    /**
     * The {@code Authorization}/{@code Proxy-Authorization} value answering the best of the
     * given challenge header values with a clear password; empty if none is usable.
     */
    public Optional<String> authorize(Collection<String> challengeHeaderValues, String method, String requestUri,
            String username, String password) {
        return best(challengeHeaderValues)
                .map(c -> answer(c, method, requestUri, username, Ha1.of(c.algorithm(), username, c.realm(), password)))
                .map(DigestCredentials::format);
    }

    /**
     * As {@link #authorize(Collection, String, String, String, String)} but from stored HA1
     * values; only challenges whose algorithm has an HA1 in {@code ha1} are considered.
     */
    public Optional<String> authorize(Collection<String> challengeHeaderValues, String method, String requestUri,
            String username, Ha1Set ha1) {
        return best(challengeHeaderValues, ha1::forAlgorithm)
                .map(c -> answer(c, method, requestUri, username, ha1.forAlgorithm(c.algorithm()).orElseThrow()))
                .map(DigestCredentials::format);
    }

    /** The preferred usable challenge among header values; unparseable or unusable ones are skipped. */
    public static Optional<DigestChallenge> best(Collection<String> challengeHeaderValues) {
        return best(challengeHeaderValues, a -> Optional.of(""));
    }

    private static Optional<DigestChallenge> best(Collection<String> values,
            Function<DigestAlgorithm, Optional<String>> ha1Available) {
        DigestChallenge best = null;
        for (String value : values) {
            Optional<DigestChallenge> parsed = DigestChallenge.parse(value);
            if (parsed.isEmpty() || !usable(parsed.get()) || ha1Available.apply(parsed.get().algorithm()).isEmpty()) {
                continue;
            }
            DigestChallenge c = parsed.get();
            if (best == null || PREFERENCE.indexOf(c.algorithm()) < PREFERENCE.indexOf(best.algorithm())) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Offers qop=auth, or no qop at all (RFC 2069); -sess needs qop for its cnonce. */
    private static boolean usable(DigestChallenge c) {
        return c.offersAuth() || (c.qop().isEmpty() && !c.algorithm().isSession());
    }

    /** Credentials answering {@code challenge}, with the next nc for its nonce when qop=auth is used. */
    public DigestCredentials answer(DigestChallenge challenge, String method, String requestUri, String username,
            String ha1) {
        Optional<String> qop = challenge.offersAuth() ? Optional.of("auth") : Optional.empty();
        Optional<String> cnonce = qop.map(q -> cnonceSource.get());
        Optional<String> nc = qop.map(q -> eightHexDigits(nextCount(challenge.realm(), challenge.nonce())));
        String response = DigestResponse.compute(challenge.algorithm(), ha1, challenge.nonce(), nc, cnonce, qop,
                method, requestUri);
        return new DigestCredentials(username, challenge.realm(), challenge.nonce(), requestUri, response,
                challenge.algorithm(), cnonce, challenge.opaque(), qop, nc);
    }

    private long nextCount(String realm, String nonce) {
        synchronized (nonceCounts) {
            // nc is 8 hex digits; wrapping would look like a replay, so stop at the top.
            return nonceCounts.merge(realm + '\u0000' + nonce, 1L, (old, one) -> Math.min(old + 1, 0xFFFFFFFFL));
        }
    }

    private static String eightHexDigits(long count) {
        String hex = Long.toHexString(count);
        return "00000000".substring(hex.length()) + hex;
    }

    private static Supplier<String> randomCnonces(SecureRandom random) {
        return () -> {
            byte[] b = new byte[16];
            random.nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        };
    }
}
