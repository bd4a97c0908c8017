package dev.switchboard.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3): the header section ends at
 * the first empty line, the body is Content-Length bytes. Robust to split and coalesced
 * segments. CRLF keep-alives between messages are skipped, and a double-CRLF ping is answered
 * with a CRLF pong (RFC 5626 §3.5.1). A stream that cannot be framed (no or bad
 * Content-Length, oversize) is an error: the caller closes the connection, since nothing
 * after it can be trusted.
 */
public final class StreamFrameDecoder extends ByteToMessageDecoder {

    private static final ByteBuf PONG = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'\r', '\n'}));

    private final int maxMessageBytes;

    public StreamFrameDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int crlfs = skipKeepAlives(in);
            if (crlfs >= 2) {
                ctx.writeAndFlush(PONG.duplicate());
            }
            if (!in.isReadable()) {
                return;
            }
            int start = in.readerIndex();
            int headerEnd = headerEnd(in, start);
            if (headerEnd < 0) {
                if (in.readableBytes() > maxMessageBytes) {
                    throw new TooLongFrameException("SIP header section larger than " + maxMessageBytes + " bytes");
                }
                return;
            }
            int bodyLength = contentLength(in, start, headerEnd);
            int total = headerEnd - start + bodyLength;
            if (total > maxMessageBytes) {
                throw new TooLongFrameException("SIP message of " + total + " bytes exceeds " + maxMessageBytes);
            }
            if (in.readableBytes() < total) {
                return;
            }
            byte[] message = new byte[total];
            in.readBytes(message);
            out.add(message);
        }
    }

    private static int skipKeepAlives(ByteBuf in) {
        int crlfs = 0;
        while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == '\r'
                && in.getByte(in.readerIndex() + 1) == '\n') {
            in.skipBytes(2);
            crlfs++;
        }
        return crlfs;
    }

    /** Index just past the CRLFCRLF ending the header section, or -1 when not yet received. */
    private static int headerEnd(ByteBuf in, int start) {
        int end = in.writerIndex();
        for (int i = start; i + 3 < end; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** The Content-Length (or compact {@code l}) value; mandatory on streams. */
    private static int contentLength(ByteBuf in, int start, int headerEnd) {
        int line = start;
        int found = -1;
        while (line < headerEnd - 2) {
            int eol = line;
            while (eol < headerEnd && in.getByte(eol) != '\r') {
                eol++;
            }
            int value = headerValueStart(in, line, eol);
            if (value >= 0) {
                int length = parseLength(in, value, eol);
                if (found >= 0 && found != length) {
                    throw new CorruptedStreamException("conflicting Content-Length headers");
                }
                found = length;
            }
            line = eol + 2;
        }
        if (found < 0) {
            throw new CorruptedStreamException("Content-Length is required on stream transports");
        }
        return found;
    }

    /** Where the value starts if this line is a Content-Length header, else -1. */
    private static int headerValueStart(ByteBuf in, int from, int to) {
        int nameEnd = from;
        while (nameEnd < to && in.getByte(nameEnd) != ':' && in.getByte(nameEnd) != ' '
                && in.getByte(nameEnd) != '\t') {
            nameEnd++;
        }
        int length = nameEnd - from;
        boolean named = length == 14 && equalsIgnoreCase(in, from, "content-length")
                || length == 1 && (in.getByte(from) | 0x20) == 'l';
        if (!named) {
            return -1;
        }
        int i = nameEnd;
        while (i < to && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        return i < to && in.getByte(i) == ':' ? i + 1 : -1;
    }

    private static int parseLength(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < to && in.getByte(i) >= '0' && in.getByte(i) <= '9') {
            value = value * 10 + (in.getByte(i) - '0');
            digits++;
            if (value > Integer.MAX_VALUE) {
                throw new CorruptedStreamException("Content-Length too large");
            }
            i++;
        }
        while (i < to && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        if (digits == 0 || i != to) {
            throw new CorruptedStreamException("Content-Length is not a number");
        }
        return (int) value;
    }

    private static boolean equalsIgnoreCase(ByteBuf in, int from, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            if ((in.getByte(from + k) | 0x20) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The stream holds something that is not a frameable SIP message. */
    public static final class CorruptedStreamException extends io.netty.handler.codec.DecoderException {
        public CorruptedStreamException(String message) {
            super(message);
        }
    }
}
