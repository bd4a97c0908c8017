package dev.switchboard.device.agent;

import dev.switchboard.config.SettingRules;
import java.time.Duration;

/** Waits between failed registration attempts: doubling from {@code first}, capped at {@code max}. */
record Backoff(Duration first, Duration max) {

    Backoff {
        // A zero retry re-sent a failing REGISTER in a loop that took a whole core.
        SettingRules.positive("switchboard.device.retry-first", first);
        SettingRules.positive("switchboard.device.retry-max", max);
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("switchboard.device.retry-max (" + max
                    + ") must not be below switchboard.device.retry-first (" + first + ")");
        }
    }

    Duration delay(int failures) {
        Duration wait = first;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
