package dev.switchboard.registrar;

import dev.switchboard.sip.digest.Challenge;
import dev.switchboard.sip.digest.DigestAlgorithm;
import dev.switchboard.sip.digest.DigestCredentials;
import dev.switchboard.sip.digest.NonceService;
import dev.switchboard.sip.message.AuthHeader;
import dev.switchboard.sip.message.HeaderName;
import dev.switchboard.sip.message.SipRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The digest challenges of a tenant's realm (401 for REGISTER, 407 for calls), and the
 * credentials a request brings for that realm. SHA-256 is offered first, then MD5 (RFC 8760: most
 * preferred first); clients listed as MD5-only by User-Agent are offered MD5 alone.
 */
public final class TenantChallenges {

    private final NonceService nonces;
    private final List<String> md5OnlyUserAgents;

    public TenantChallenges(NonceService nonces, List<String> md5OnlyUserAgents) {
        this.nonces = nonces;
        this.md5OnlyUserAgents = md5OnlyUserAgents.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The WWW-Authenticate or Proxy-Authenticate values of a fresh challenge; a retransmission of
     * the request gets the same ones (see {@link NonceService#issue(String, String)}).
     */
    public List<String> headerValues(SipRequest request, String realm, boolean stale) {
        Challenge challenge = Challenge.forRealm(realm, nonces.issue(realm, request.retransmissionKey())).stale(stale);
        if (!md5OnlyUserAgents.isEmpty()) {
            String agent = request.header(HeaderName.USER_AGENT).orElse("").toLowerCase(Locale.ROOT);
            for (String md5Only : md5OnlyUserAgents) {
                if (agent.startsWith(md5Only)) {
                    challenge.algorithms(List.of(DigestAlgorithm.MD5));
                    break;
                }
            }
        }
        return challenge.headerValues();
    }

    /** The Digest credentials among these (Proxy-)Authorization headers addressed to the realm; others are not ours. */
    public static Optional<DigestCredentials> credentialsFor(List<AuthHeader> headers, String realm) {
        for (AuthHeader h : headers) {
            if (h.isScheme("Digest") && realm.equalsIgnoreCase(h.params().get("realm"))) {
                // The SIP parser has split the parameters already: no second parse of the text.
                return DigestCredentials.of(h.params());
            }
        }
        return Optional.empty();
    }
}
