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
 * preferred first); see {@link #offered} for the clients that cannot take that.
 */
public final class TenantChallenges {

    private static final List<DigestAlgorithm> SHA_256_FIRST = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
    private static final List<DigestAlgorithm> MD5_FIRST = List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256);
    private static final List<DigestAlgorithm> MD5_ONLY = List.of(DigestAlgorithm.MD5);

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
        return challenge.algorithms(offered(request)).headerValues();
    }

    /**
     * SHA-256 then MD5 for a phone that says who it is. MD5 alone for a client listed as MD5-only by
     * User-Agent: Debian's baresip 1.0.0 gives up on a challenge list that holds SHA-256 anywhere.
     * MD5 then SHA-256 for a request with no User-Agent at all, which phones always send and test
     * tools often do not: SIPp answers only the topmost challenge and knows no SHA-256.
     */
    private List<DigestAlgorithm> offered(SipRequest request) {
        String agent = request.header(HeaderName.USER_AGENT).orElse("").strip().toLowerCase(Locale.ROOT);
        if (agent.isEmpty()) {
            return MD5_FIRST;
        }
        for (String md5Only : md5OnlyUserAgents) {
            if (agent.startsWith(md5Only)) {
                return MD5_ONLY;
            }
        }
        return SHA_256_FIRST;
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
