package dev.switchboard.sip.digest;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Digest credentials, the value of an {@code Authorization} or {@code Proxy-Authorization} header.
 *
 * <p>Either {@code qop} is present together with {@code cnonce} and {@code nc} (RFC 2617/7616
 * style), or all three are absent (RFC 2069 style); {@link #parse} enforces this.
 *
 * @param nc the nonce count exactly as sent (1–8 hex digits), because the response hashes that text
 */
public record DigestCredentials(
        String username,
        String realm,
        String nonce,
        String uri,
        String response,
        DigestAlgorithm algorithm,
        Optional<String> cnonce,
        Optional<String> opaque,
        Optional<String> qop,
        Optional<String> nc) {

    public DigestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(cnonce, "cnonce");
        Objects.requireNonNull(opaque, "opaque");
        Objects.requireNonNull(qop, "qop");
        Objects.requireNonNull(nc, "nc");
    }

    /** The nonce count as a number; 0 when no qop was used. */
    public long nonceCount() {
        return nc.map(v -> Long.parseLong(v, 16)).orElse(0L);
    }

    /**
     * Parses a credentials header value. Empty when it is not Digest, misses a required
     * parameter, names an unknown algorithm, or carries a malformed nc or response.
     */
    public static Optional<DigestCredentials> parse(String headerValue) {
        return AuthParams.parse(headerValue).flatMap(DigestCredentials::of);
    }

    /**
     * The credentials in parameters already split from a Digest header value (lower-case names,
     * unquoted values), as the SIP parser keeps them: the same checks as {@link #parse}.
     */
    public static Optional<DigestCredentials> of(Map<String, String> p) {
        if (p.size() > AuthParams.MAX_PARAMS) {
            return Optional.empty();
        }
        String username = p.get("username");
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        String uri = p.get("uri");
        String response = p.get("response");
        if (username == null || realm == null || nonce == null || uri == null || response == null
                || nonce.isEmpty() || uri.isEmpty()) {
            return Optional.empty();
        }
        Optional<DigestAlgorithm> algorithm = p.containsKey("algorithm")
                ? DigestAlgorithm.fromToken(p.get("algorithm"))
                : Optional.of(DigestAlgorithm.MD5);
        if (algorithm.isEmpty()) {
            return Optional.empty();
        }
        // Some clients send upper-case hex; the value is compared after lower-casing.
        String resp = response.toLowerCase(Locale.ROOT);
        if (resp.length() != algorithm.get().hexLength() || !Hex.isHex(resp)) {
            return Optional.empty();
        }
        Optional<String> qop = Optional.ofNullable(p.get("qop")).map(q -> q.toLowerCase(Locale.ROOT));
        Optional<String> cnonce = Optional.ofNullable(p.get("cnonce"));
        Optional<String> nc = Optional.ofNullable(p.get("nc"));
        if (qop.isPresent()) {
            if (cnonce.isEmpty() || cnonce.get().isEmpty() || nc.isEmpty() || !isNonceCount(nc.get())) {
                return Optional.empty();
            }
        } else if (nc.isPresent() || algorithm.get().isSession()) {
            // An nc without qop means nothing, and -sess needs the cnonce that only comes with qop.
            return Optional.empty();
        }
        return Optional.of(new DigestCredentials(username, realm, nonce, uri, resp, algorithm.get(),
                cnonce, Optional.ofNullable(p.get("opaque")), qop, nc));
    }

    private static boolean isNonceCount(String nc) {
        // Counting starts at 1; a zero count would slip under the replay check.
        return !nc.isEmpty() && nc.length() <= 8 && Hex.isHex(nc) && Long.parseLong(nc, 16) > 0;
    }

    /** The header value, quoting as RFC 7616 prescribes (qop, nc and algorithm bare). */
    public String format() {
        StringBuilder sb = new StringBuilder(320).append("Digest username=");
        Quoting.appendQuoted(sb, username);
        Quoting.appendQuoted(sb.append(", realm="), realm);
        Quoting.appendQuoted(sb.append(", nonce="), nonce);
        Quoting.appendQuoted(sb.append(", uri="), uri);
        Quoting.appendQuoted(sb.append(", response="), response);
        sb.append(", algorithm=").append(algorithm.token());
        cnonce.ifPresent(c -> Quoting.appendQuoted(sb.append(", cnonce="), c));
        opaque.ifPresent(o -> Quoting.appendQuoted(sb.append(", opaque="), o));
        qop.ifPresent(q -> Quoting.appendTokenOrQuoted(sb.append(", qop="), q));
        nc.ifPresent(n -> Quoting.appendTokenOrQuoted(sb.append(", nc="), n));
        return sb.toString();
    }
}
