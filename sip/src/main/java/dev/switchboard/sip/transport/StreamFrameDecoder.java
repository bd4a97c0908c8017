package dev.switchboard.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty decoder of a TCP/TLS connection: {@link SipFramer} cuts the stream into messages, and a
 * double-CRLF ping between messages is answered with a CRLF pong (RFC 5626 §3.5.1). A stream
 * that cannot be framed is an error; the pipeline closes the connection, since nothing after it
 * can be trusted. A message started must be finished within the read timeout, however slowly its
 * bytes keep coming (Kamailio's {@code tcp_msg_read_timeout}), or the connection is closed: the
 * idle timeout alone let a byte every few minutes hold a connection forever.
 */
public final class StreamFrameDecoder extends ByteToMessageDecoder {

    private static final int PING_LENGTH = 4;
    private static final ByteBuf PONG = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'\r', '\n'}));

    private final SipFramer framer;
    /** After a 513: the rest of the stream is read and dropped until the connection closes. */
    private boolean discarding;
    private final int maxMessageBytes;
    private final long readTimeoutNanos;
    /** Closes the connection unless the message begun when it was set is finished first. */
    private ScheduledFuture<?> deadline;

    public StreamFrameDecoder(int maxMessageBytes) {
        this(maxMessageBytes, TransportSettings.DEFAULT_MESSAGE_READ_TIMEOUT);
    }

    public StreamFrameDecoder(int maxMessageBytes, Duration readTimeout) {
        // A header section may take the whole message limit, as over UDP (it was 16 KB here).
        this.framer = new SipFramer(maxMessageBytes, maxMessageBytes);
        this.maxMessageBytes = maxMessageBytes;
        this.readTimeoutNanos = readTimeout.toNanos();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        frame(ctx, in, out);
        if (discarding || !in.isReadable()) {
            disarm();
        } else if (deadline == null && ctx.channel().isActive()) {
            deadline = ctx.executor().schedule(() -> {
                deadline = null;
                if (actualReadableBytes() > 0) {
                    ctx.close();
                }
            }, readTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        disarm();
    }

    private void frame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int ping = pingBytes(in);
            if (ping == PING_LENGTH) {
                in.skipBytes(PING_LENGTH);
                ctx.writeAndFlush(PONG.duplicate());
                continue;
            }
            if (ping == in.readableBytes()) {
                // The rest of a ping may be in the next segment (RFC 5626 §4.4.1 pings are bytes
                // on a stream, not packets): wait for it rather than skip these as stray CRLFs.
                return;
            }
            SipFramer.Result result = framer.next(in);
            if (result instanceof SipFramer.Frame frame) {
                out.add(frame.bytes());
                // A message finished in time: the next one has a read timeout of its own.
                disarm();
            } else if (result instanceof SipFramer.Error error) {
                answerThenClose(ctx, in, error);
                return;
            } else {
                return;
            }
        }
    }

    /**
     * A header section that cannot be framed (a negative or conflicting Content-Length) still
     * deserves its 400, and one announcing a message over the limit its 513: hand the header
     * section on for the answer, then close, since the rest of the stream cannot be trusted. One
     * announcing a body without a Content-Length (RFC 2543 style, RFC 4475's inv2543) is handed on
     * as the message it is, as over UDP, and the connection then closes: its body cannot be told
     * from a next message, which it would otherwise become (or swallow).
     */
    private void answerThenClose(ChannelHandlerContext ctx, ByteBuf in, SipFramer.Error error) {
        int end = headerEnd(in);
        if (end > 0 && end - in.readerIndex() <= maxMessageBytes) {
            byte[] headers = new byte[end - in.readerIndex()];
            in.getBytes(in.readerIndex(), headers);
            ctx.fireChannelRead(error.tooLarge() ? new TooLarge(headers) : headers);
        } else if (error.tooLarge()) {
            // A header section with no end in sight: its complete lines so far, closed, are enough
            // to address the 513 (Via, From, To, Call-ID and CSeq come first in practice).
            // Within the limit: what lies beyond it is more than the parser takes.
            int lastLine = lastCrlf(in, in.readerIndex() + maxMessageBytes - 2);
            if (lastLine > 0) {
                byte[] headers = new byte[lastLine - in.readerIndex() + 2];
                in.getBytes(in.readerIndex(), headers, 0, headers.length - 2);
                headers[headers.length - 2] = '\r';
                headers[headers.length - 1] = '\n';
                ctx.fireChannelRead(new TooLarge(headers));
            }
        }
        in.skipBytes(in.readableBytes());
        if (error.tooLarge() || error.lengthMissing()) {
            // Closing with the sender's bytes unread would reset the connection, and a reset drops
            // the 513 from the sender's receive queue before it reads it: read and drop the rest for
            // a moment, then close.
            discarding = true;
            ctx.executor().schedule(() -> ctx.close(), DISCARD_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            return;
        }
        ctx.close();
        throw new DecoderException(error.reason());
    }

    /** The header section of a message over the size limit, handed on for its 513. */
    record TooLarge(byte[] headers) {
    }

    private static final long DISCARD_MILLIS = 1000;

    /** The index just past the last CRLF that ends before {@code before}, or -1. */
    private static int lastCrlf(ByteBuf in, int before) {
        for (int i = Math.min(in.writerIndex(), before) - 2; i >= in.readerIndex(); i--) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
                return i + 2;
            }
        }
        return -1;
    }

    private static int headerEnd(ByteBuf in) {
        for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** How many of the bytes at the reader index, up to a whole ping, follow CRLFCRLF. */
    private static int pingBytes(ByteBuf in) {
        int n = Math.min(in.readableBytes(), PING_LENGTH);
        for (int k = 0; k < n; k++) {
            if (in.getByte(in.readerIndex() + k) != (k % 2 == 0 ? '\r' : '\n')) {
                return k;
            }
        }
        return n;
    }
}
