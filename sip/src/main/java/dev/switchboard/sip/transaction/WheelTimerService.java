package dev.switchboard.sip.transaction;

import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Transaction timers on Netty's hashed wheel: O(1) to schedule and cancel, 10 ms resolution. */
public final class WheelTimerService implements TimerService, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WheelTimerService.class);

    private final HashedWheelTimer wheel = new HashedWheelTimer(
            runnable -> {
                Thread thread = new Thread(runnable, "sip-timers");
                thread.setDaemon(true);
                return thread;
            }, 10, TimeUnit.MILLISECONDS, 1024);

    @Override
    public Timeout schedule(Duration delay, Runnable task) {
        io.netty.util.Timeout timeout = wheel.newTimeout(t -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("SIP timer task failed", e);
            }
        }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return timeout::cancel;
    }

    @Override
    public void close() {
        wheel.stop();
    }
}
