package dev.switchboard.sip;

import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.transaction.ServerTransaction;
import dev.switchboard.sip.transport.Flow;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds and sends responses to received requests: Via stamped with received/rport, a To tag on
 * everything but 100. Answers go back on the flow the request came on: the connection, or over
 * UDP the address and port it came from. Like Kamailio's default (reply_to_via=0) this ignores
 * the Via sent-by, so answers reach peers behind NAT whether or not they asked for rport.
 */
public final class SipResponder {

    private final StatelessTags tags = new StatelessTags();

    /** A response builder for the request, with the top Via stamped with the request's source. */
    public SipResponse.Builder response(SipRequest request, Flow flow, int status, String reason) {
        SipResponse.Builder b = stamped(request, flow, status, reason);
        if (status > 100 && request.to().tag().isEmpty()) {
            b.toTag(newTag());
        }
        return b;
    }

    /**
     * A final response sent without a transaction (a challenge, a refusal): its To tag is the same
     * for every copy of the request (RFC 3261 §8.2.7), so a retransmission gets the very answer
     * the original got, as it would from a transaction.
     */
    public SipResponse.Builder statelessResponse(SipRequest request, Flow flow, int status, String reason) {
        SipResponse.Builder b = stamped(request, flow, status, reason);
        if (request.to().tag().isEmpty()) {
            b.toTag(tags.of(request.retransmissionKey()));
        }
        return b;
    }

    /**
     * The answer to a request the parser refused (400, 416, 420, 505...): as every other answer,
     * with the top Via stamped with the source (RFC 3581) and a To tag the same for every copy
     * (RFC 3261 §8.2.6.2, §8.2.7), when the request's lines rebuild into a response; otherwise
     * its lines as copied, which is all the sender needs to match its transaction, with the top
     * Via still stamped where it parses.
     */
    public Optional<byte[]> refusal(ParseResult.Rejected refusal, Flow flow) {
        Optional<SipResponse> built = refusal.response();
        if (built.isPresent()) {
            SipResponse answer = built.get();
            try {
                SipResponse.Builder b = answer.toBuilder()
                        .topVia(v -> v.stamped(flow.remoteHost(), flow.remote().getPort()));
                if (answer.to() != null && answer.to().tag().isEmpty()) {
                    ParseResult.Partial p = refusal.partial();
                    b.toTag(tags.of(p.vias().get(0) + '|' + p.callId().orElse("") + '|' + p.from().orElse("")
                            + '|' + p.cseq().orElse("")));
                }
                return Optional.of(b.toBytes());
            } catch (RuntimeException e) {
                // A copied line the builder will not take again (an odd Via, no To): the lines as copied.
            }
        }
        return refusal.copiedAnswerBytes(v -> v.stamped(flow.remoteHost(), flow.remote().getPort()));
    }

    private static SipResponse.Builder stamped(SipRequest request, Flow flow, int status, String reason) {
        SipResponse.Builder b = SipResponse.to(request, status, reason);
        String source = flow.remoteHost();
        b.topVia(v -> v.stamped(source, flow.remote().getPort()));
        return b;
    }

    /** Sends a response inside its server transaction. */
    public void send(ServerTransaction tx, SipResponse.Builder response) {
        // Serialised without the builder's re-parse: nothing reads an answer back once it is sent.
        tx.respond(response.status(), response.toBytes());
    }

    static String newTag() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
