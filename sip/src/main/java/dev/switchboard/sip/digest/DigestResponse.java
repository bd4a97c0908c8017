package dev.switchboard.sip.digest;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Computes the {@code response} parameter (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1) shared by client and server. */
public final class DigestResponse {

    private DigestResponse() {
    }

    /**
     * response = KD(HA1', nonce:nc:cnonce:qop:HA2) with qop, or KD(HA1, nonce:HA2) without
     * (RFC 2069), where HA2 = H(method:uri) and, for -sess, HA1' = H(HA1:nonce:cnonce).
     *
     * @param ha1 the stored (non-session) HA1 in lowercase hex
     * @param qop {@code auth}, or empty together with nc and cnonce for RFC 2069 style
     */
    public static String compute(DigestAlgorithm algorithm, String ha1, String nonce, Optional<String> nc,
            Optional<String> cnonce, Optional<String> qop, String method, String uri) {
        return new String(hex(algorithm, ha1, nonce, nc, cnonce, qop, method, uri), StandardCharsets.US_ASCII);
    }

    /** {@link #compute} as lowercase hex ASCII bytes, built without intermediate strings (the registrar's hot path). */
    static byte[] hex(DigestAlgorithm algorithm, String ha1, String nonce, Optional<String> nc,
            Optional<String> cnonce, Optional<String> qop, String method, String uri) {
        DigestInput in = algorithm.input();
        byte[] sessionHa1 = algorithm.isSession()
                ? in.part(ha1).colon().part(nonce).colon().part(cnonce.orElse("")).hex()
                : null;
        byte[] ha2 = in.part(method).colon().part(uri).hex();
        if (sessionHa1 != null) {
            in.part(sessionHa1);
        } else {
            in.part(ha1);
        }
        in.colon().part(nonce).colon();
        if (qop.isPresent()) {
            in.part(nc.orElse("")).colon().part(cnonce.orElse("")).colon().part(qop.get()).colon();
        }
        return in.part(ha2).hex();
    }
}
