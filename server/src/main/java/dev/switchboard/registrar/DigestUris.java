package dev.switchboard.registrar;

import dev.switchboard.sip.digest.DigestCredentials;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipUri;

/**
 * Which digest {@code uri} a request's credentials may carry. RFC 3261 §22.4 wants the
 * Request-URI; SIPp without {@code -auth_uri} hashes the address it sent to instead
 * ({@code sip:192.0.2.1:5060}), which behind NAT, a port mapping or a loopback alias is no address
 * of ours we could recognise. The response covers whatever uri was hashed and the nonce count
 * still stops replays, so a uri that names a server (a SIP URI without a user part) is taken too;
 * one that names another user or resource ({@code sip:102@…}) is refused as a mismatch.
 */
public final class DigestUris {

    private DigestUris() {
    }

    /** The uri to verify the credentials against: theirs when acceptable, else the Request-URI. */
    public static String forVerification(SipRequest request, DigestCredentials credentials) {
        String requestUri = request.requestUri().toString();
        String given = credentials.uri();
        if (given.equals(requestUri)) {
            return requestUri;
        }
        try {
            return SipUri.parse(given).user().isEmpty() ? given : requestUri;
        } catch (RuntimeException notASipUri) {
            return requestUri;
        }
    }
}
