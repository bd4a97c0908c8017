package dev.switchboard.registrar;

import dev.switchboard.sip.digest.DigestCredentials;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipUri;

/**
 * Which digest {@code uri} a request's credentials may carry. RFC 3261 §22.4 wants the
 * Request-URI; SIPp without {@code -auth_uri} hashes the address it sent to instead
 * ({@code sip:192.0.2.1:5060}), which behind NAT, a port mapping or a loopback alias is no address
 * of ours we could recognise. The response covers whatever uri was hashed and the nonce count
 * still stops replays, so a uri that names a server by address (a SIP URI without a user part
 * whose host is an IP literal) or the Request-URI's own domain is taken too; one that names
 * another user or resource ({@code sip:102@…}), another domain or a host name is refused as a
 * mismatch (RFC 2617 §3.2.2.5).
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
            SipUri uri = SipUri.parse(given);
            boolean server = uri.user().isEmpty() && (isIpLiteral(uri.host())
                    || request.requestUri() instanceof SipUri r && r.host().equalsIgnoreCase(uri.host()));
            return server ? given : requestUri;
        } catch (RuntimeException notASipUri) {
            return requestUri;
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || IPV4.matcher(host).matches();
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
}
