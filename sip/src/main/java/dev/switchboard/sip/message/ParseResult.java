package dev.switchboard.sip.message;

import java.util.List;
import java.util.Optional;

/** What {@link SipParser} made of some bytes: a message, a request to refuse with a status, or nothing to answer. */
public sealed interface ParseResult {

    /** A valid message. */
    record Parsed(SipMessage message) implements ParseResult {
    }

    /**
     * A request that must be answered with {@code status} (400, 416, 505, ...). {@code partial} holds the
     * raw header values needed to answer; {@link #response()} builds the answer when they suffice.
     */
    record Rejected(int status, String reason, Partial partial) implements ParseResult {

        /**
         * The response per RFC 3261 §8.2.6 with the received Via, From, To, Call-ID and CSeq lines,
         * or empty when the request lacks what is needed to route an answer (a Via and a CSeq).
         */
        public Optional<SipResponse> response() {
            Partial p = partial;
            if (p.vias().isEmpty() || p.cseq().isEmpty()) return Optional.empty();
            try {
                SipResponse.Builder b = SipResponse.builder(status, reason.length() > 100 ? "Bad Request" : reason);
                for (String v : p.vias()) b.header("Via", v);
                p.from().ifPresent(v -> b.header("From", v));
                p.to().ifPresent(v -> b.header("To", v));
                p.callId().ifPresent(v -> b.header("Call-ID", v));
                b.header("CSeq", p.cseq().get());
                return Optional.of(b.build());
            } catch (RuntimeException e) {
                // the copied values are themselves broken beyond answering
                return Optional.empty();
            }
        }

        /** The answer as bytes, built or copied verbatim; see {@link ParseResult#answer}. */
        public Optional<byte[]> answerBytes() {
            return ParseResult.answer(this);
        }
    }

    /**
     * The answer to a rejected request as bytes: the built response, or, when a copied value is too
     * broken to build one (an unterminated quote, a bad URI in To), the received lines copied
     * verbatim, since the sender matches its transaction on them and not on their syntax. Empty
     * when no Via could be read.
     */
    static Optional<byte[]> answer(Rejected rejected) {
        Optional<SipResponse> built = rejected.response();
        if (built.isPresent()) return Optional.of(built.get().toBytes());
        Partial p = rejected.partial();
        if (p.vias().isEmpty()) return Optional.empty();
        StringBuilder out = new StringBuilder(256).append("SIP/2.0 ").append(rejected.status()).append(' ')
                .append(rejected.status() == 400 ? "Bad Request" : safe(rejected.reason())).append("\r\n");
        for (String via : p.vias()) line(out, "Via", via);
        p.from().ifPresent(v -> line(out, "From", v));
        p.to().ifPresent(v -> line(out, "To", v));
        p.callId().ifPresent(v -> line(out, "Call-ID", v));
        p.cseq().ifPresent(v -> line(out, "CSeq", v));
        out.append("Content-Length: 0\r\n\r\n");
        return Optional.of(out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(name).append(": ").append(safe(value)).append("\r\n");
    }

    /** Header values reach here unfolded; anything that could still end a line is replaced. */
    private static String safe(String value) {
        return value.replace('\r', ' ').replace('\n', ' ');
    }

    /** Nothing to answer: a response that is invalid, garbage, a keep-alive, or an oversize datagram. */
    record Dropped(String reason) implements ParseResult {
    }

    /** Raw values (folding turned into spaces) of the headers needed to answer a rejected request. */
    record Partial(Optional<String> method, List<String> vias, Optional<String> from, Optional<String> to,
                   Optional<String> callId, Optional<String> cseq) {
    }
}
