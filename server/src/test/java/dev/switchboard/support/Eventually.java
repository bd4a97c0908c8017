package dev.switchboard.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for behaviour that changes with time (expiries, lock ends), without long fixed sleeps. */
public final class Eventually {

    private Eventually() {
    }

    /** Polls every 100 ms until the condition holds; fails the test with {@code what} after {@code limit}. */
    public static void within(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + what, e);
            }
        }
    }
}
