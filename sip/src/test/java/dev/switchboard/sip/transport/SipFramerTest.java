package dev.switchboard.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream framing: split and coalesced segments, keep-alives, garbage, truncation and limits. */
class SipFramerTest {

    static final byte[] REGISTER = wire("""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK776asdhds
            Max-Forwards: 70
            To: <sip:alice@example.com>
            From: <sip:alice@example.com>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 314159 REGISTER
            Contact: <sip:alice@192.0.2.10:5060;transport=tcp>
            l: 0

            """);

    static final byte[] MESSAGE = wire("""
            MESSAGE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK1
            Max-Forwards: 70
            To: <sip:bob@example.com>
            From: <sip:alice@example.com>;tag=19
            Call-ID: m1@pc33.example.com
            CSeq: 1 MESSAGE
            Content-Type: text/plain
            content-length : 18

            Hello\r
            \r
            \r
            Bob!!\r
            """);

    static byte[] wire(String text) {
        return text.replace("\n", "\r\n").replace("\r\r\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds the chunks one by one into a cumulation, as ByteToMessageDecoder does, and collects results. */
    private static List<SipFramer.Result> feed(SipFramer framer, List<byte[]> chunks) {
        List<SipFramer.Result> out = new ArrayList<>();
        ByteBuf cumulation = Unpooled.buffer();
        try {
            for (byte[] chunk : chunks) {
                cumulation.writeBytes(chunk);
                while (true) {
                    SipFramer.Result r = framer.next(cumulation);
                    if (r == SipFramer.NeedMore.INSTANCE) break;
                    out.add(r);
                    if (r instanceof SipFramer.Error) return out;
                }
                cumulation.discardReadBytes();
            }
            return out;
        } finally {
            cumulation.release();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    private static SipFramer framer() {
        return new SipFramer(65_535, 8_192);
    }

    @Test
    void framesAMessageSplitAtEveryBytePosition() {
        byte[] stream = concat(REGISTER, MESSAGE);
        for (int split = 1; split < stream.length; split++) {
            byte[] a = java.util.Arrays.copyOfRange(stream, 0, split);
            byte[] b = java.util.Arrays.copyOfRange(stream, split, stream.length);
            List<SipFramer.Result> results = feed(framer(), List.of(a, b));
            assertThat(results).as("split at " + split).containsExactly(new SipFramer.Frame(REGISTER), new SipFramer.Frame(MESSAGE));
        }
    }

    @Test
    void framesAStreamArrivingOneByteAtATime() {
        byte[] stream = concat(MESSAGE, REGISTER, MESSAGE);
        List<byte[]> bytes = new ArrayList<>();
        for (byte c : stream) bytes.add(new byte[] {c});
        List<SipFramer.Result> results = feed(framer(), bytes);
        assertThat(results).hasSize(3);
        assertThat(((SipFramer.Frame) results.get(0)).bytes()).isEqualTo(MESSAGE);
        assertThat(((SipFramer.Frame) results.get(2)).bytes()).isEqualTo(MESSAGE);
    }

    @Test
    void framesCoalescedMessagesAndSkipsKeepAlives() {
        byte[] ping = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] stream = concat(ping, REGISTER, "\r\n".getBytes(StandardCharsets.US_ASCII), MESSAGE, ping, REGISTER);
        List<SipFramer.Result> results = feed(framer(), List.of(stream));
        assertThat(results).containsExactly(new SipFramer.Frame(REGISTER), new SipFramer.Frame(MESSAGE), new SipFramer.Frame(REGISTER));
        for (SipFramer.Result r : results) {
            assertThat(SipParser.DEFAULT.parse(((SipFramer.Frame) r).bytes())).isInstanceOf(ParseResult.Parsed.class);
        }
    }

    @Test
    void waitsWhenTheStreamStopsMidMessage() {
        for (int cut : new int[] {1, 10, REGISTER.length - 4, REGISTER.length - 1}) {
            assertThat(feed(framer(), List.of(java.util.Arrays.copyOf(REGISTER, cut)))).as("cut " + cut).isEmpty();
        }
        byte[] partialBody = java.util.Arrays.copyOf(MESSAGE, MESSAGE.length - 3);
        assertThat(feed(framer(), List.of(partialBody))).isEmpty();
    }

    @Test
    void reportsGarbageAsErrorAndReadsAMissingContentLengthAsZero() {
        assertThat(feed(framer(), List.of(new byte[] {0x16, 0x03, 0x01, 0x00}))).singleElement().isInstanceOf(SipFramer.Error.class);
        byte[] noLength = wire("""
                OPTIONS sip:a@b SIP/2.0
                Via: SIP/2.0/TCP h;branch=z9hG4bK1

                """);
        // RFC 2543 peers omit Content-Length on messages without body (RFC 4475 §3.4.1).
        assertThat(feed(framer(), List.of(noLength))).singleElement()
                .isEqualTo(new SipFramer.Frame(noLength));
        byte[] conflicting = wire("""
                OPTIONS sip:a@b SIP/2.0
                Content-Length: 13
                l: 5

                """);
        assertThat(feed(framer(), List.of(conflicting))).singleElement().isInstanceOf(SipFramer.Error.class);
        byte[] negative = wire("""
                OPTIONS sip:a@b SIP/2.0
                Content-Length: -999

                """);
        assertThat(feed(framer(), List.of(negative))).singleElement().isInstanceOf(SipFramer.Error.class);
    }

    @Test
    void aBodyAnnouncedWithoutContentLengthCannotBeFramedLestItBecomeTheNextMessage() {
        for (String type : List.of("Content-Type: application/sdp", "c: application/sdp")) {
            byte[] withBody = wire("""
                    OPTIONS sip:a@b SIP/2.0
                    %s

                    v=0
                    """.formatted(type));
            // RFC 3261 §18.3: Content-Length is mandatory on streams; the SDP would be read as a request.
            assertThat(feed(framer(), List.of(withBody))).first().isInstanceOfSatisfying(SipFramer.Error.class,
                    e -> assertThat(e.lengthMissing()).as(type).isTrue());
        }
    }

    @Test
    void aContentLengthTooLargeForAnyNumberIsOverTheLimitNotMalformed() {
        for (String length : List.of("2147483648", "999999999999", "99999999999999999999999")) {
            byte[] huge = wire("""
                    MESSAGE sip:a@b SIP/2.0
                    Content-Length: %s

                    """.formatted(length));
            assertThat(feed(framer(), List.of(huge))).singleElement().isInstanceOfSatisfying(SipFramer.Error.class,
                    e -> assertThat(e.tooLarge()).as(length).isTrue());
        }
    }

    @Test
    void enforcesHeaderAndMessageSizeLimits() {
        SipFramer small = new SipFramer(400, 256);
        byte[] endless = new byte[300];
        java.util.Arrays.fill(endless, (byte) 'A');
        assertThat(feed(small, List.of(endless))).singleElement()
                .isEqualTo(new SipFramer.Error("header section larger than 256 bytes", true));
        byte[] bigBody = wire("""
                MESSAGE sip:a@b SIP/2.0
                Content-Length: 100000

                """);
        // Its header section was read: the sender is told 513 before the connection closes.
        assertThat(feed(small, List.of(bigBody))).singleElement()
                .isEqualTo(new SipFramer.Error("message larger than 400 bytes", true));
        // exactly at the limit is fine
        SipFramer exact = new SipFramer(MESSAGE.length, 512);
        assertThat(feed(exact, List.of(MESSAGE))).containsExactly(new SipFramer.Frame(MESSAGE));
    }

    @Test
    void readsAContentLengthFoldedOntoTheNextLine() {
        byte[] folded = wire("""
                MESSAGE sip:a@b SIP/2.0
                Content-Type: text/plain
                Content-Length:
                 5

                hello""");
        // RFC 3261 §7.3.1: a folded value is the same value; UDP's parser read it, the framer refused it.
        assertThat(feed(framer(), List.of(folded, MESSAGE))).containsExactly(new SipFramer.Frame(folded),
                new SipFramer.Frame(MESSAGE));
    }

    @Test
    void aDecoderTakesAHeaderSectionAsLargeAsTheMessageLimitAndAPingSplitAcrossSegments() {
        StringBuilder big = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\nX-Pad: ");
        big.append("p".repeat(40_000)).append("\r\nContent-Length: 0\r\n\r\n");
        byte[] bytes = big.toString().getBytes(StandardCharsets.US_ASCII);
        io.netty.channel.embedded.EmbeddedChannel channel =
                new io.netty.channel.embedded.EmbeddedChannel(new StreamFrameDecoder(65_535));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, 16_384));
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, 16_384, bytes.length - 16_384));
            byte[] framed = channel.readInbound();
            assertThat(framed).isEqualTo(bytes);

            // RFC 5626 §4.4.1: a CRLFCRLF ping is bytes on a stream; its halves may come apart.
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'\r', '\n'}));
            assertThat((Object) channel.readOutbound()).isNull();
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'\r', '\n'}));
            ByteBuf pong = channel.readOutbound();
            assertThat(pong.toString(StandardCharsets.US_ASCII)).isEqualTo("\r\n");
            assertThat(channel.isOpen()).isTrue();
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
