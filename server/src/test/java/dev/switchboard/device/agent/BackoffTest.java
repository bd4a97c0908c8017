package dev.switchboard.device.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToItsMaximumAndRefusesARetryOfNothing() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5));
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.delay(50)).isEqualTo(Duration.ofMinutes(5));
        // A probe's retry-first=0s re-sent a failing REGISTER in a loop that took a whole core.
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("switchboard.device.retry-first");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .hasMessageContaining("switchboard.device.retry-max");
    }
}
