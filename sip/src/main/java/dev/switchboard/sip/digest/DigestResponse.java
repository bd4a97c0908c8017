package dev.switchboard.sip.digest;

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
        String ha1Effective = algorithm.isSession()
                ? algorithm.hash(ha1 + ":" + nonce + ":" + cnonce.orElse(""))
                : ha1;
        String ha2 = algorithm.hash(method + ":" + uri);
        String data = qop.isPresent()
                ? nonce + ":" + nc.orElse("") + ":" + cnonce.orElse("") + ":" + qop.get() + ":" + ha2
                : nonce + ":" + ha2;
        return algorithm.hash(ha1Effective + ":" + data);
    }
}
