package dev.switchboard.sip.digest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the challenges of a 401/407 answer: one header value per algorithm, SHA-256 first
 * so RFC 8760 clients pick it and older ones fall back to MD5, each with {@code qop="auth"}.
 *
 * <pre>{@code
 * List<String> values = Challenge.forRealm(realm, nonces.issue(realm)).stale(true).headerValues();
 * }</pre>
 */
public final class Challenge {

    private final String realm;
    private final String nonce;
    private Optional<String> opaque = Optional.empty();
    private boolean stale;
    private List<DigestAlgorithm> algorithms = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);

    private Challenge(String realm, String nonce) {
        this.realm = Objects.requireNonNull(realm, "realm");
        this.nonce = Objects.requireNonNull(nonce, "nonce");
    }

    /** Starts a challenge for {@code realm} with a nonce from {@link NonceService#issue}. */
    public static Challenge forRealm(String realm, String nonce) {
        return new Challenge(realm, nonce);
    }

    /** An opaque value the client must echo. */
    public Challenge opaque(String value) {
        this.opaque = Optional.of(value);
        return this;
    }

    /** Marks the challenge as answering an authentic request whose nonce had expired. */
    public Challenge stale(boolean value) {
        this.stale = value;
        return this;
    }

    /** Algorithms to offer, most preferred first; SHA-256 then MD5 unless set. */
    public Challenge algorithms(List<DigestAlgorithm> offered) {
        if (offered.isEmpty()) {
            throw new IllegalArgumentException("offer at least one algorithm");
        }
        this.algorithms = List.copyOf(offered);
        return this;
    }

    /** The challenges, in order of preference. */
    public List<DigestChallenge> challenges() {
        List<DigestChallenge> out = new ArrayList<>(algorithms.size());
        for (DigestAlgorithm a : algorithms) {
            out.add(new DigestChallenge(realm, nonce, opaque, a, List.of("auth"), stale));
        }
        return out;
    }

    /** The {@code WWW-Authenticate}/{@code Proxy-Authenticate} header values, one header each. */
    public List<String> headerValues() {
        List<String> out = new ArrayList<>(algorithms.size());
        for (DigestChallenge c : challenges()) {
            out.add(c.format());
        }
        return out;
    }
}
