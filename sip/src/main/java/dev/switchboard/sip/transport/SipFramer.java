package dev.switchboard.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Cuts SIP messages out of a stream (TCP, TLS) per RFC 3261 §18.3: CRLF keep-alives between messages
 * are skipped, the header section ends at CRLFCRLF and the body is Content-Length bytes (mandatory on
 * streams). One instance per connection; it keeps how far it has scanned, so split segments are not
 * rescanned. Call {@link #next} from a Netty {@code ByteToMessageDecoder#decode} with the cumulation:
 * it consumes bytes only for a complete frame or a keep-alive and never retains the buffer.
 */
public final class SipFramer {

    /** What the framer found at the reader index. */
    public sealed interface Result permits Frame, NeedMore, Error {
    }

    /** A complete message, copied out of the stream; hand it to the parser. */
    public record Frame(byte[] bytes) implements Result {
        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && java.util.Arrays.equals(f.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Frame[" + new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1) + "]";
        }
    }

    /** Not enough bytes yet; call again when more arrive. */
    public enum NeedMore implements Result {
        INSTANCE
    }

    /**
     * The stream cannot be framed (garbage, oversize, no Content-Length): close the connection.
     * {@code tooLarge}: the header section was read and names a message over the size limit;
     * {@code lengthMissing}: it was read and announces a body (a Content-Type) without a length.
     */
    public record Error(String reason, boolean tooLarge, boolean lengthMissing) implements Result {

        public Error(String reason) {
            this(reason, false, false);
        }

        public Error(String reason, boolean tooLarge) {
            this(reason, tooLarge, false);
        }
    }

    private final int maxMessageSize;
    private final int maxHeaderSize;

    // state of the message being framed, relative to the reader index
    private int scanned;        // bytes of the header section already searched for CRLFCRLF
    private int headerLength = -1;
    private int contentLength = -1;
    /** Whether the header section being framed has a Content-Type: it announces a body. */
    private boolean bodyAnnounced;

    public SipFramer(int maxMessageSize, int maxHeaderSize) {
        if (maxHeaderSize < 32 || maxMessageSize < 32) throw new IllegalArgumentException("bad limits");
        this.maxMessageSize = maxMessageSize;
        this.maxHeaderSize = Math.min(maxHeaderSize, maxMessageSize);
    }

    /** Frames the next message from {@code in}, advancing its reader index past what was consumed. */
    public Result next(ByteBuf in) {
        if (headerLength < 0) {
            if (scanned == 0) {
                // keep-alives (RFC 5626 §3.5.1) and stray CRLFs before a start line
                while (in.isReadable()) {
                    byte c = in.getByte(in.readerIndex());
                    if (c != '\r' && c != '\n') break;
                    in.skipBytes(1);
                }
                if (!in.isReadable()) return NeedMore.INSTANCE;
                if (!startsLikeSip(in.getByte(in.readerIndex()))) return new Error("not a SIP start line");
            }
            Result r = findHeaderEnd(in);
            if (r != null) return r;
        }
        int total = headerLength + contentLength;
        if (in.readableBytes() < total) return NeedMore.INSTANCE;
        byte[] frame = new byte[total];
        in.readBytes(frame);
        scanned = 0;
        headerLength = -1;
        contentLength = -1;
        return new Frame(frame);
    }

    private static boolean startsLikeSip(byte c) {
        // a method token or "SIP/": letters, digits and token marks
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    /** Returns null once headers are delimited and Content-Length is known, else the result to report. */
    private Result findHeaderEnd(ByteBuf in) {
        int base = in.readerIndex();
        int readable = in.readableBytes();
        int from = Math.max(0, scanned - 3);
        int limit = Math.min(readable, maxHeaderSize);
        int end = -1;
        int i = from;
        while (i < limit) {
            int cr = in.forEachByte(base + i, limit - i, ByteProcessor.FIND_CR);
            if (cr < 0) break;
            int rel = cr - base;
            if (rel + 3 >= readable) {
                i = rel; // may complete once more bytes arrive
                break;
            }
            if (in.getByte(cr + 1) == '\n' && in.getByte(cr + 2) == '\r' && in.getByte(cr + 3) == '\n') {
                end = rel + 4;
                break;
            }
            i = rel + 1;
        }
        if (end < 0) {
            scanned = Math.max(scanned, Math.min(i, limit));
            if (readable >= maxHeaderSize) {
                return new Error("header section larger than " + maxHeaderSize + " bytes", true);
            }
            return NeedMore.INSTANCE;
        }
        bodyAnnounced = false;
        long cl = contentLength(in, base, base + end);
        // RFC 3261 §18.3 makes Content-Length mandatory on streams, but an RFC 2543 peer leaves it
        // out of a message without body (RFC 4475 §3.4.1): read its absence as zero. Not when a
        // Content-Type announces a body: that body would be read as the next message (or swallow
        // the real next one), so the stream cannot be framed past this header section.
        if (cl == -1) {
            if (bodyAnnounced) {
                return new Error("Content-Length is required on a stream for a message with a body", false, true);
            }
            cl = 0;
        }
        if (cl < 0) return new Error("invalid or conflicting Content-Length");
        if (end + cl > maxMessageSize) return new Error("message larger than " + maxMessageSize + " bytes", true);
        headerLength = end;
        contentLength = (int) cl;
        return null;
    }

    /**
     * The Content-Length of the header section [from,to): -1 if absent, -2 if invalid or
     * conflicting; notes in {@link #bodyAnnounced} whether a Content-Type line was seen on the way.
     */
    private long contentLength(ByteBuf in, int from, int to) {
        long found = -1;
        int line = from;
        while (line < to) {
            int eol = in.forEachByte(line, to - line, ByteProcessor.FIND_CRLF);
            if (eol < 0) eol = to;
            int nameEnd = line;
            while (nameEnd < eol && isTokenChar(in.getByte(nameEnd))) nameEnd++;
            int colon = nameEnd;
            while (colon < eol && (in.getByte(colon) == ' ' || in.getByte(colon) == '\t')) colon++;
            boolean header = colon < eol && in.getByte(colon) == ':';
            bodyAnnounced |= header && isNamed(in, line, nameEnd, "content-type", 'c');
            if (header && isNamed(in, line, nameEnd, "content-length", 'l')) {
                // The value may be folded onto continuation lines (RFC 3261 §7.3.1).
                int valueEnd = eol;
                while (valueEnd + 2 < to && in.getByte(valueEnd) == '\r' && in.getByte(valueEnd + 1) == '\n'
                        && (in.getByte(valueEnd + 2) == ' ' || in.getByte(valueEnd + 2) == '\t')) {
                    int next = in.forEachByte(valueEnd + 2, to - valueEnd - 2, ByteProcessor.FIND_CRLF);
                    valueEnd = next < 0 ? to : next;
                }
                long v = digits(in, colon + 1, valueEnd);
                if (v < 0 || (found >= 0 && found != v)) return -2;
                found = v;
                eol = valueEnd;
            }
            line = eol + 1;
            while (line < to && in.getByte(line) == '\n') line++;
        }
        return found;
    }

    /** The number in [p, end), around which only linear white space (folding included) may stand. */
    private static long digits(ByteBuf in, int p, int end) {
        while (p < end && isLws(in.getByte(p))) p++;
        int s = p;
        long v = 0;
        while (p < end && in.getByte(p) >= '0' && in.getByte(p) <= '9') {
            // A length past any limit stays past it (a 513 for the size), never wraps.
            v = Math.min(v * 10 + (in.getByte(p++) - '0'), (long) Integer.MAX_VALUE + 1);
        }
        if (p == s) return -2;
        while (p < end && isLws(in.getByte(p))) p++;
        // junk values are for the parser to judge; framing needs a number
        return p == end ? v : -2;
    }

    private static boolean isLws(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isNamed(ByteBuf in, int from, int to, String name, char compact) {
        int n = to - from;
        if (n == 1) return (in.getByte(from) | 0x20) == compact;
        if (n != name.length()) return false;
        for (int i = 0; i < n; i++) {
            if ((in.getByte(from + i) | 0x20) != name.charAt(i)) return false;
        }
        return true;
    }

    private static boolean isTokenChar(byte c) {
        return startsLikeSip(c);
    }
}
