package dev.switchboard.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SipDateTest {

    @Test
    void writesTheDayWithTwoDigitsAndGmt() {
        // RFC 3261 §25.1: date1 = 2DIGIT SP month SP 4DIGIT, so the 7th is "07", never "7".
        assertThat(SipDate.format(Instant.parse("2026-12-07T05:12:30Z"))).isEqualTo("Mon, 07 Dec 2026 05:12:30 GMT");
        assertThat(SipDate.format(Instant.parse("2010-11-13T23:29:00.900Z"))).isEqualTo("Sat, 13 Nov 2010 23:29:00 GMT");
    }

    @Test
    void aNewSecondGetsANewTextAndTheSameSecondTheSameOne() {
        Instant t = Instant.parse("2026-01-01T00:00:59.100Z");
        String first = SipDate.format(t);
        assertThat(SipDate.format(t.plusMillis(800))).isSameAs(first);
        assertThat(SipDate.format(t.plusMillis(900))).isEqualTo("Thu, 01 Jan 2026 00:01:00 GMT");
        // Going back (another thread's older clock reading) is formatted, not served from the cache.
        assertThat(SipDate.format(t)).isEqualTo("Thu, 01 Jan 2026 00:00:59 GMT");
    }
}
