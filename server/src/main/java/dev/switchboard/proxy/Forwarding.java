package dev.switchboard.proxy;

import dev.switchboard.sip.message.HeaderName;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.message.Uri;
import dev.switchboard.sip.message.Via;
import dev.switchboard.sip.transaction.TransactionId;
import dev.switchboard.sip.transport.Flow;
import dev.switchboard.sip.transport.Transport;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The message edits of a stateful proxy (RFC 3261 §16.6, §16.7, §17.1.1.3, §9.1): the copy of a
 * request sent on a branch, the ACK and CANCEL of a branch, and a response passed upstream.
 * Headers the proxy does not touch keep their received bytes, and the body passes untouched.
 */
final class Forwarding {

    /** Our branches start with this, then the request's loop key (§16.3 step 4), a dot and a random part. */
    static final String BRANCH_PREFIX = TransactionId.MAGIC_COOKIE + "sb";

    /** A header answering the next hop's challenge: Authorization or Proxy-Authorization. */
    record Credentials(String header, String value) {
    }

    /** What a branch sent, kept to build its ACK and CANCEL from. */
    record Sent(Uri requestUri, String via, String branch, List<String> routes, byte[] bytes) {
    }

    private Forwarding() {
    }

    /**
     * The copy of {@code original} for one target: new Request-URI, Max-Forwards one less, our
     * Record-Route entries (top first) and Via on top, the caller's Via stamped with its source,
     * the route set replaced, the Proxy-Authorization we consumed removed, and our own answer to
     * the next hop's challenge added when there is one.
     */
    static Sent request(SipRequest original, Flow inbound, Target target, Transport transport, String host, int port,
                        List<String> recordRoutes, boolean dropProxyAuthorization, Credentials credentials) {
        String branch = BRANCH_PREFIX + loopKey(original) + "." + random();
        String via = "SIP/2.0/" + transport.name() + " " + host + ":" + port + ";branch=" + branch;
        SipRequest.Builder b = original.toBuilder().requestUri(target.requestUri());
        b.topVia(v -> v.stamped(inbound.remoteHost(), inbound.remote().getPort()));
        b.addFirst(HeaderName.VIA, via);
        int maxForwards = original.maxForwards().isPresent() ? original.maxForwards().getAsInt() - 1 : 70;
        b.set(HeaderName.MAX_FORWARDS, Integer.toString(maxForwards));
        if (!original.headers(HeaderName.ROUTE.canonical()).isEmpty() || !target.routes().isEmpty()) {
            b.remove(HeaderName.ROUTE);
            target.routes().forEach(r -> b.header(HeaderName.ROUTE, r));
        }
        // Listed bottom first, so the entry facing the next hop ends on top.
        for (int i = recordRoutes.size() - 1; i >= 0; i--) {
            b.addFirst(HeaderName.RECORD_ROUTE, recordRoutes.get(i));
        }
        if (dropProxyAuthorization) {
            b.remove(HeaderName.PROXY_AUTHORIZATION);
        }
        if (credentials != null) {
            b.header(credentials.header(), credentials.value());
        }
        return new Sent(target.requestUri(), via, branch, target.routes(), b.toBytes());
    }

    /** §17.1.1.3: the ACK of a failure response, on the branch's Via, with its route set. */
    static byte[] ackForFailure(SipRequest original, Sent sent, SipResponse response) {
        return hopByHop("ACK", original, sent, response.header(HeaderName.TO).orElseThrow());
    }

    /** §9.1: the CANCEL of a branch: same Request-URI, Via, route set, From, To, Call-ID and CSeq number. */
    static byte[] cancel(SipRequest original, Sent sent, Optional<String> reason) {
        return hopByHop("CANCEL", original, sent, original.header(HeaderName.TO).orElseThrow(), reason);
    }

    private static byte[] hopByHop(String method, SipRequest original, Sent sent, String to) {
        return hopByHop(method, original, sent, to, Optional.empty());
    }

    private static byte[] hopByHop(String method, SipRequest original, Sent sent, String to, Optional<String> reason) {
        SipRequest.Builder b = SipRequest.builder(method, sent.requestUri())
                .header(HeaderName.VIA, sent.via())
                .header(HeaderName.MAX_FORWARDS, "70");
        sent.routes().forEach(r -> b.header(HeaderName.ROUTE, r));
        b.header(HeaderName.FROM, original.header(HeaderName.FROM).orElseThrow())
                .header(HeaderName.TO, to)
                .header(HeaderName.CALL_ID, original.callId())
                .header(HeaderName.CSEQ, original.cseq().number() + " " + method);
        reason.ifPresent(r -> b.header("Reason", r));
        return b.toBytes();
    }

    /** §16.7 step 9: the response without our Via; 503 becomes 500 (step 6), so callers do not retry elsewhere. */
    static byte[] upstream(SipResponse response) {
        List<Via> vias = response.vias();
        return upstream(response, vias.subList(Math.min(1, vias.size()), vias.size()));
    }

    /** The response going up with these Vias in place of its own (none: no Via); 503 becomes 500. */
    static byte[] upstream(SipResponse response, List<Via> vias) {
        SipResponse.Builder b = response.toBuilder();
        if (vias.isEmpty()) {
            b.remove(HeaderName.VIA);
        } else {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < vias.size(); i++) {
                text.append(i > 0 ? ", " : "").append(vias.get(i));
            }
            b.set(HeaderName.VIA, text.toString());
        }
        if (response.status() == 503) {
            b.status(500, "Server Internal Error");
        }
        return b.toBytes();
    }

    /**
     * Loop detection (§16.3 step 4): a request that already passed here with the same Request-URI,
     * tags, Call-ID, CSeq and Proxy-Require carries one of our branches with the same loop key.
     */
    static boolean looped(SipRequest request) {
        String mine = BRANCH_PREFIX + loopKey(request) + ".";
        for (Via via : request.vias()) {
            if (via.branch().map(b -> b.startsWith(mine)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    static String loopKey(SipRequest request) {
        long h = 1125899906842597L;
        h = mix(h, request.requestUri().toString());
        h = mix(h, request.from().tag().orElse(""));
        h = mix(h, request.to().tag().orElse(""));
        h = mix(h, request.callId());
        h = mix(h, Long.toString(request.cseq().number()));
        h = mix(h, String.join(",", request.proxyRequire()));
        // A spiral (a dialog routed through us twice) has fewer Route entries on its second pass.
        h = mix(h, Integer.toString(request.routes().size()));
        return Long.toHexString(h);
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        return (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L + 1;
    }

    private static String random() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
