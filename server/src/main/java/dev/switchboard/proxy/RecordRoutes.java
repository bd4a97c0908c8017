package dev.switchboard.proxy;

import dev.switchboard.sip.message.NameAddress;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Our Record-Route entries and the Route entries that come back in a dialog (RFC 3261 §16.4,
 * §16.6 step 4). Each entry carries a dialog token: an HMAC, under the cluster-wide key, of the
 * Call-ID and the caller's From tag. A request that brings a Route with a valid token belongs to a
 * dialog this cluster let in and is relayed without another gate check; a forged or replayed
 * Route for another Call-ID gets no such pass, so the Route header cannot turn the proxy into an
 * open relay.
 */
public final class RecordRoutes {

    static final String TOKEN_PARAM = "sbd";
    /** Where a caller that is a phone called from (its NAT address); see {@link Popped#callerSource}. */
    static final String CALLER_PARAM = "sba";
    /** Where a callee reached at its binding's source was reached. */
    static final String CALLEE_PARAM = "sbc";
    /** Tells the entries of one pass through the proxy from another's (a call may spiral through twice). */
    static final String PASS_PARAM = "sbi";
    private static final int TOKEN_BYTES = 8;

    /**
     * Our Route entries removed from the top of a request, and what is left. With a valid token,
     * {@code callerSource}/{@code calleeSource} are where the dialog's phones are really reached
     * (behind NAT, not at their Contact), when the proxy reached them at their source.
     */
    public record Popped(int removed, boolean dialogToken, List<NameAddress> remaining,
                         java.util.Optional<Hop> callerSource, java.util.Optional<Hop> calleeSource) {
    }

    private final byte[] key;
    private final Predicate<String> localHost;
    private final Set<Integer> ports;
    private final ThreadLocal<Mac> macs;

    /**
     * @param clusterKey key shared by every node (so any node accepts a Route another wrote)
     * @param localHost  whether a host names this server
     * @param ports      the ports we listen on
     */
    public RecordRoutes(byte[] clusterKey, Predicate<String> localHost, Set<Integer> ports) {
        this.key = derive(clusterKey);
        this.localHost = localHost;
        this.ports = Set.copyOf(ports);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A Record-Route value naming us at host:port over transport, with the dialog's token. */
    public String value(String host, int port, Transport transport, String token, String extraParams) {
        StringBuilder b = new StringBuilder(96).append("<sip:").append(host).append(':').append(port);
        if (transport != Transport.UDP) {
            b.append(";transport=").append(transport.name().toLowerCase(Locale.ROOT));
        }
        return b.append(";lr").append(extraParams).append(';').append(TOKEN_PARAM).append('=').append(token).append('>')
                .toString();
    }

    /** The dialog token of a dialog-creating request: from its Call-ID and From tag. */
    public String token(SipRequest request) {
        return token(request.callId(), request.from().tag().orElse(""));
    }

    /**
     * Removes the Route entries at the top that name us (§16.4) and says whether one of them
     * carried a valid token for this request's dialog (checked against the From and the To tag,
     * since either party may send).
     */
    public Popped pop(SipRequest request) {
        List<NameAddress> routes = request.routes();
        int removed = 0;
        boolean valid = false;
        java.util.Optional<Hop> caller = java.util.Optional.empty();
        java.util.Optional<Hop> callee = java.util.Optional.empty();
        String pass = null;
        // Only this pass's entries: when the dialog spiralled through us twice, the next pass's
        // entries route the request back here, where they are taken in turn.
        while (removed < routes.size()) {
            NameAddress route = routes.get(removed);
            if (!(route.uri() instanceof SipUri uri) || !isUs(uri)) {
                break;
            }
            String thisPass = uri.param(PASS_PARAM).orElse("");
            if (pass != null && !pass.equals(thisPass)) {
                break;
            }
            pass = thisPass;
            if (uri.param(TOKEN_PARAM).map(t -> validFor(request, t)).orElse(false)) {
                valid = true;
                caller = caller.or(() -> uri.param(CALLER_PARAM).flatMap(Hop::ofToken));
                callee = callee.or(() -> uri.param(CALLEE_PARAM).flatMap(Hop::ofToken));
            }
            removed++;
        }
        List<NameAddress> rest = removed == 0 ? routes : new ArrayList<>(routes.subList(removed, routes.size()));
        return valid ? new Popped(removed, true, rest, caller, callee)
                : new Popped(removed, false, rest, java.util.Optional.empty(), java.util.Optional.empty());
    }

    /** Whether a URI names this server: one of its hosts, and one of its ports. */
    public boolean isUs(SipUri uri) {
        int port = uri.port().orElse(uri.isSecure() ? Transport.TLS.defaultPort() : Transport.UDP.defaultPort());
        return localHost.test(uri.host()) && ports.contains(port);
    }

    private boolean validFor(SipRequest request, String token) {
        byte[] given = token.getBytes(StandardCharsets.US_ASCII);
        String callId = request.callId();
        return request.to().tag().isPresent() && (same(given, token(callId, request.from().tag().orElse("")))
                || same(given, token(callId, request.to().tag().get())));
    }

    private static boolean same(byte[] given, String expected) {
        return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.US_ASCII));
    }

    private String token(String callId, String tag) {
        Mac mac = macs.get();
        mac.update(callId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(tag.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, TOKEN_BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A key of its own, so a dialog token can never be mistaken for (or help forge) a nonce. */
    private static byte[] derive(byte[] clusterKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clusterKey, "HmacSHA256"));
            return mac.doFinal("switchboard record-route".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
