package dev.switchboard.sip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipMessage;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import java.util.Arrays;

/**
 * Parser invariants under arbitrary bytes: no exception, no internal error, accepted messages write
 * back as the bytes they came from and re-parse identically, rejections carry an answerable status.
 * Runs the seed corpus in a normal build; fuzz for longer with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl sip test -Dtest=SipParserFuzzTest}.
 */
class SipParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parserKeepsItsPromises(byte[] input) {
        ParseResult r = SipParser.DEFAULT.parse(input);
        if (r instanceof ParseResult.Parsed p) {
            checkParsed(input, p.message());
        } else if (r instanceof ParseResult.Rejected rej) {
            assertThat(rej.status()).isIn(400, 416, 505);
            assertThat(rej.partial().vias()).isNotEmpty();
            rej.response().ifPresent(resp -> assertThat(resp.status()).isEqualTo(rej.status()));
        } else {
            assertThat(((ParseResult.Dropped) r).reason()).doesNotStartWith("internal parser error");
        }
    }

    static void checkParsed(byte[] input, SipMessage m) {
        byte[] out = m.toBytes();
        int start = 0;
        while (start + 1 < input.length && input[start] == '\r' && input[start + 1] == '\n') start += 2;
        assertThat(out).isEqualTo(Arrays.copyOfRange(input, start, start + out.length));
        ParseResult again = SipParser.DEFAULT.parse(out);
        assertThat(again).isInstanceOf(ParseResult.Parsed.class);
        assertThat(((ParseResult.Parsed) again).message().toBytes()).isEqualTo(out);
        // every accessor works on an accepted message
        m.vias().forEach(v -> assertThat(v.toString()).isNotEmpty());
        assertThat(m.from().uri().toString()).isNotEmpty();
        assertThat(m.to().toString()).isNotEmpty();
        assertThat(m.callId()).isNotEmpty();
        m.contacts().forEach(NameAddressCheck::check);
        m.routes().forEach(NameAddressCheck::check);
        m.headerLines().forEach(h -> assertThat(h.value()).doesNotContain("\r\n"));
        // a builder copy of a valid message is valid and keeps the headers
        SipMessage copy = m instanceof SipRequest req ? req.toBuilder().build() : ((SipResponse) m).toBuilder().build();
        assertThat(copy.vias()).isEqualTo(m.vias());
        assertThat(copy.body()).isEqualTo(m.body());
        if (m instanceof SipRequest req) {
            SipResponse resp = SipResponse.to(req, 400, "Bad Request").toTag("fz").build();
            assertThat(resp.callId()).isEqualTo(req.callId());
        }
    }

    private static final class NameAddressCheck {
        static void check(dev.switchboard.sip.message.NameAddress n) {
            assertThat(n.toString()).isNotEmpty();
            n.displayName();
            n.tag();
        }
    }
}
