package dev.switchboard.sip.digest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One digest challenge, the value of a {@code WWW-Authenticate} or {@code Proxy-Authenticate} header.
 *
 * @param realm     protection space; for Switchboard the tenant's SIP domain
 * @param nonce     server nonce
 * @param opaque    echoed back unchanged by the client, if present
 * @param algorithm algorithm offered by this challenge ({@code MD5} when the header omits it)
 * @param qop       offered quality-of-protection values in lowercase; empty for RFC 2069 style
 * @param stale     true when the previous request failed only because its nonce had expired
 */
public record DigestChallenge(
        String realm, String nonce, Optional<String> opaque, DigestAlgorithm algorithm, List<String> qop, boolean stale) {

    public DigestChallenge {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(opaque, "opaque");
        Objects.requireNonNull(algorithm, "algorithm");
        qop = List.copyOf(qop);
    }

    /** True when the challenge lets the client answer with {@code qop=auth}. */
    public boolean offersAuth() {
        return qop.contains("auth");
    }

    /**
     * Parses a challenge header value. Empty when it is not a Digest challenge, lacks realm
     * or nonce, or names an algorithm we do not support (the client then picks another header).
     */
    public static Optional<DigestChallenge> parse(String headerValue) {
        Optional<Map<String, String>> parsed = AuthParams.parse(headerValue);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> p = parsed.get();
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        if (realm == null || nonce == null || nonce.isEmpty()) {
            return Optional.empty();
        }
        Optional<DigestAlgorithm> algorithm = p.containsKey("algorithm")
                ? DigestAlgorithm.fromToken(p.get("algorithm"))
                : Optional.of(DigestAlgorithm.MD5);
        if (algorithm.isEmpty()) {
            return Optional.empty();
        }
        List<String> qop = new ArrayList<>();
        if (p.containsKey("qop")) {
            for (String option : p.get("qop").split(",", -1)) {
                String o = option.strip().toLowerCase(Locale.ROOT);
                if (!o.isEmpty() && !qop.contains(o)) {
                    qop.add(o);
                }
            }
            if (qop.isEmpty()) {
                return Optional.empty();
            }
        }
        boolean stale = "true".equalsIgnoreCase(p.getOrDefault("stale", "false"));
        return Optional.of(new DigestChallenge(
                realm, nonce, Optional.ofNullable(p.get("opaque")), algorithm.get(), qop, stale));
    }

    /** The header value, e.g. {@code Digest realm="example.org", nonce="…", qop="auth", algorithm=SHA-256}. */
    public String format() {
        StringBuilder sb = new StringBuilder(160).append("Digest realm=");
        Quoting.appendQuoted(sb, realm);
        sb.append(", nonce=");
        Quoting.appendQuoted(sb, nonce);
        opaque.ifPresent(o -> Quoting.appendQuoted(sb.append(", opaque="), o));
        if (stale) {
            sb.append(", stale=true");
        }
        if (!qop.isEmpty()) {
            Quoting.appendQuoted(sb.append(", qop="), String.join(",", qop));
        }
        return sb.append(", algorithm=").append(algorithm.token()).toString();
    }
}
