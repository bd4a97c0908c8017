package dev.switchboard.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-source limit: counts per second, per source, within a bound. */
class SourceRateLimitTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void dropsWhatASourceSendsOverTheLimitUntilTheSecondTurns() {
        SourceRateLimit limit = new SourceRateLimit(3, 100);
        long t = 42 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertThat(limit.admit("192.0.2.1", t + i)).isEqualTo(SourceRateLimit.Verdict.ADMITTED);
        }
        assertThat(limit.admit("192.0.2.1", t + 10)).isEqualTo(SourceRateLimit.Verdict.FIRST_DROP);
        assertThat(limit.admit("192.0.2.1", t + 11)).isEqualTo(SourceRateLimit.Verdict.DROPPED);
        // Another source is counted on its own.
        assertThat(limit.admit("192.0.2.2", t + 12)).isEqualTo(SourceRateLimit.Verdict.ADMITTED);
        // The next second starts afresh.
        assertThat(limit.admit("192.0.2.1", t + SECOND)).isEqualTo(SourceRateLimit.Verdict.ADMITTED);
    }

    @Test
    void neverTracksMoreSourcesThanItsBoundAndZeroMeansNoLimit() {
        SourceRateLimit limit = new SourceRateLimit(1, 10);
        for (int i = 0; i < 10; i++) {
            limit.admit("10.0.0." + i, 0);
        }
        // Full: an eleventh source this second is let through rather than counted.
        assertThat(limit.admit("10.0.1.1", 1)).isEqualTo(SourceRateLimit.Verdict.ADMITTED);
        assertThat(limit.admit("10.0.1.1", 2)).isEqualTo(SourceRateLimit.Verdict.ADMITTED);
        SourceRateLimit off = new SourceRateLimit(0, 10);
        for (int i = 0; i < 1000; i++) {
            assertThat(off.admit("10.0.0.1", i)).isEqualTo(SourceRateLimit.Verdict.ADMITTED);
        }
    }
}
