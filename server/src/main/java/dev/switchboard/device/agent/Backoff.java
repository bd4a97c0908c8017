package dev.switchboard.device.agent;

import java.time.Duration;

/** Waits between failed registration attempts: doubling from {@code first}, capped at {@code max}. */
record Backoff(Duration first, Duration max) {

    Duration delay(int failures) {
        Duration wait = first;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
