package dev.switchboard.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

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

        /**
         * The answer as copied lines, with the top Via, where it parses, passed through
         * {@code topVia} (to stamp received/rport: even a request too broken to rebuild is
         * answered to the address it came from, RFC 3581 §4).
         */
        public Optional<byte[]> copiedAnswerBytes(UnaryOperator<Via> topVia) {
            return ParseResult.copied(this, topVia);
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
        return copied(rejected, UnaryOperator.identity());
    }

    /** The received lines copied verbatim, the top Via passed through {@code topVia}. */
    static Optional<byte[]> copied(Rejected rejected, UnaryOperator<Via> topVia) {
        Partial p = rejected.partial();
        if (p.vias().isEmpty()) return Optional.empty();
        StringBuilder out = new StringBuilder(256).append("SIP/2.0 ").append(rejected.status()).append(' ')
                .append(rejected.status() == 400 ? "Bad Request" : safe(rejected.reason())).append("\r\n");
        for (int i = 0; i < p.vias().size(); i++) {
            line(out, "Via", i == 0 ? withTopVia(p.vias().get(0), topVia) : p.vias().get(i));
        }
        p.from().ifPresent(v -> line(out, "From", v));
        p.to().ifPresent(v -> line(out, "To", v));
        p.callId().ifPresent(v -> line(out, "Call-ID", v));
        p.cseq().ifPresent(v -> line(out, "CSeq", v));
        out.append("Content-Length: 0\r\n\r\n");
        return Optional.of(out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The first via-parm of a Via line passed through {@code f}; the line as it was when it does not parse. */
    private static String withTopVia(String line, UnaryOperator<Via> f) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        Cursor c = new Cursor(b, 0, b.length);
        try {
            Via first = Via.parse(c);
            return f.apply(first) + new String(b, c.pos, b.length - c.pos, StandardCharsets.UTF_8);
        } catch (RuntimeException unparsable) {
            return line;
        }
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
