package dev.switchboard.registrar;

import dev.switchboard.sip.digest.DigestCredentials;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipUri;
import java.util.function.Predicate;

/**
 * Which digest {@code uri} a request's credentials may carry. RFC 3261 §22.4 wants the
 * Request-URI; SIPp without {@code -auth_uri} hashes this server's own address instead
 * ({@code sip:192.0.2.1:5060}). The response covers whatever
 * uri was hashed, and the nonce count still stops replays, so a uri naming this server (or the
 * Request-URI's host) is taken too; any other is refused as a mismatch.
 */
public final class DigestUris {

    private DigestUris() {
    }

    /** The uri to verify the credentials against: theirs when acceptable, else the Request-URI. */
    public static String forVerification(SipRequest request, DigestCredentials credentials,
                                         Predicate<String> localHost) {
        String requestUri = request.requestUri().toString();
        String given = credentials.uri();
        if (given.equals(requestUri) || !(request.requestUri() instanceof SipUri target)) {
            return requestUri;
        }
        try {
            SipUri named = SipUri.parse(given);
            boolean ours = named.user().isEmpty()
                    && (localHost.test(named.host()) || named.host().equalsIgnoreCase(target.host()));
            return ours ? given : requestUri;
        } catch (RuntimeException notASipUri) {
            return requestUri;
        }
    }
}
