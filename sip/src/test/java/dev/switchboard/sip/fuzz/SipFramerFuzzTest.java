package dev.switchboard.sip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.transport.SipFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Framer invariants under arbitrary streams cut into arbitrary segments: no exception, frames within
 * the limits, and each frame handled by the parser. Longer runs:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl sip test -Dtest=SipFramerFuzzTest}.
 */
class SipFramerFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void framerKeepsItsPromises(FuzzedDataProvider data) {
        int segment = data.consumeInt(1, 512);
        byte[] stream = data.consumeRemainingAsBytes();
        SipFramer framer = new SipFramer(4096, 1024);
        ByteBuf cumulation = Unpooled.buffer();
        try {
            int fed = 0;
            int framed = 0;
            while (fed < stream.length) {
                int n = Math.min(segment, stream.length - fed);
                cumulation.writeBytes(stream, fed, n);
                fed += n;
                SipFramer.Result r;
                while ((r = framer.next(cumulation)) instanceof SipFramer.Frame f) {
                    assertThat(f.bytes().length).isBetween(1, 4096);
                    framed += f.bytes().length;
                    ParseResult p = SipParser.DEFAULT.parse(f.bytes());
                    if (p instanceof ParseResult.Dropped d) assertThat(d.reason()).doesNotStartWith("internal parser error");
                    if (p instanceof ParseResult.Parsed parsed) SipParserFuzzTest.checkParsed(f.bytes(), parsed.message());
                }
                if (r instanceof SipFramer.Error) return; // the transport closes the connection
                cumulation.discardReadBytes();
            }
            assertThat(framed).isLessThanOrEqualTo(stream.length);
        } finally {
            cumulation.release();
        }
    }
}
