package dev.switchboard.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnsweredRequestsTest {

    final ManualTimers clock = new ManualTimers();

    static TransactionId id(int n) {
        return TransactionId.of("z9hG4bK-" + n, "192.0.2." + (n % 250) + ":5060", n % 3 == 0 ? "OPTIONS" : "REGISTER");
    }

    static byte[] response(int n) {
        return ("SIP/2.0 200 OK\r\nCall-ID: " + n + "\r\n" + "x".repeat(n % 700) + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsEveryAnswerAcrossChunksAndTableGrowthUntilItsSliceIsDropped() {
        AnsweredRequests answered = new AnsweredRequests(clock, Duration.ofSeconds(32), Duration.ofSeconds(4),
                1L << 30);
        // About 15 MB: many 1 MB chunks and several doublings of the first slice's index.
        for (int n = 0; n < 40_000; n++) {
            assertThat(answered.remember(id(n), response(n))).isTrue();
        }
        clock.advance(Duration.ofSeconds(4));
        for (int n = 40_000; n < 41_000; n++) {
            answered.remember(id(n), response(n));
        }
        assertThat(answered.size()).isEqualTo(41_000);
        for (int n = 0; n < 41_000; n += 7) {
            assertThat(answered.find(id(n))).as("answer %d", n).isEqualTo(response(n));
        }
        assertThat(answered.find(TransactionId.of("z9hG4bK-1", "192.0.2.1:5060", "OPTIONS")))
                .as("same branch and sent-by, other method").isNull();
        assertThat(answered.find(id(41_000))).isNull();

        // Nine slices of 4 s: the first one is dropped when the tenth begins, at 36 s.
        clock.advance(Duration.ofSeconds(31));
        assertThat(answered.find(id(0))).isEqualTo(response(0));
        clock.advance(Duration.ofSeconds(1));
        assertThat(answered.find(id(0))).isNull();
        assertThat(answered.find(id(40_500))).isEqualTo(response(40_500));
        assertThat(answered.size()).isEqualTo(1_000);
        clock.advance(Duration.ofSeconds(4));
        assertThat(answered.size()).isZero();

        // A dropped slice is filled again from the start of its kept chunks.
        for (int n = 0; n < 20_000; n++) {
            answered.remember(id(n), response(n + 1));
        }
        assertThat(answered.find(id(19_999))).isEqualTo(response(20_000));
        assertThat(answered.find(id(3))).isEqualTo(response(4));
    }

    @Test
    void remembersNothingMoreOnceItsMemoryIsUsed() {
        AnsweredRequests answered = new AnsweredRequests(clock, Duration.ofSeconds(32), Duration.ofSeconds(4),
                3L << 20);
        int kept = 0;
        for (int n = 0; n < 20_000; n++) {
            if (answered.remember(id(n), response(n))) {
                kept++;
            }
        }
        // Three 1 MB chunks minus the index: fewer than 20,000 answers of ~400 bytes fit.
        assertThat(kept).isBetween(3_000, 8_000);
        assertThat(answered.find(id(0))).isEqualTo(response(0));
        assertThat(answered.find(id(19_999))).isNull();
        // Once the slices holding them are dropped, there is room again.
        clock.advance(Duration.ofSeconds(40));
        assertThat(answered.remember(id(19_999), response(1))).isTrue();
        assertThat(answered.find(id(19_999))).isEqualTo(response(1));
    }
}
