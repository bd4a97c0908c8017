package dev.switchboard.sip.transaction;

import java.time.Duration;

/** Schedules transaction timers; production uses a hashed wheel, tests a clock they advance by hand. */
public interface TimerService {

    /** A scheduled task that can be cancelled before it runs. */
    interface Timeout {
        void cancel();
    }

    Timeout schedule(Duration delay, Runnable task);

    /** Cancels a timer that may not have been scheduled. */
    static void cancel(Timeout timeout) {
        if (timeout != null) {
            timeout.cancel();
        }
    }
}
