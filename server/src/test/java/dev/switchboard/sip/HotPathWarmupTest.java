package dev.switchboard.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.message.SipParser;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The start-up warm-up runs whole registrations (every step must succeed) and keeps to its budget. */
class HotPathWarmupTest {

    private final SipParser parser = new SipParser(SipParser.Config.DEFAULT);

    @Test
    void runsTheRoundsAskedForWhenTheBudgetAllows() {
        // Each round parses, challenges, answers and verifies; a step that failed would throw.
        assertThat(HotPathWarmup.run(parser, 200, Duration.ofMinutes(1))).isEqualTo(200);
    }

    @Test
    void stopsWhenItsTimeIsSpent() {
        assertThat(HotPathWarmup.run(parser, Integer.MAX_VALUE, Duration.ZERO)).isZero();
        assertThat(HotPathWarmup.run(parser, Integer.MAX_VALUE, Duration.ofMillis(200))).isPositive();
    }
}
