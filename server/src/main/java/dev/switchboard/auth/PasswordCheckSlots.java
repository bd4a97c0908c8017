package dev.switchboard.auth;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many password checks may run at once for one user (one) and from one source address (a
 * few), on this node. The lockout is checked before a check and counted after it, and a check
 * takes a BCrypt's time: fifty wrong passwords sent in parallel all passed the check before the
 * fifth failure locked the user (a probe; the 20-per-source limit likewise). A check that waits
 * for its slot sees the lock that the ones before it set. Slots are striped by key, so memory is
 * fixed whatever the number of users and sources; two keys sharing a stripe only wait for each other.
 */
final class PasswordCheckSlots {

    private static final int STRIPES = 1024;
    /** Checks at once from one source: enough to keep the cores busy with a crowd behind one NAT. */
    static final int PER_SOURCE = 4;

    private final Semaphore[] users = new Semaphore[STRIPES];
    private final Semaphore[] sources = new Semaphore[STRIPES];
    private final Duration wait;

    PasswordCheckSlots(Duration wait) {
        this.wait = wait;
        for (int i = 0; i < STRIPES; i++) {
            users[i] = new Semaphore(1, true);
            sources[i] = new Semaphore(PER_SOURCE, true);
        }
    }

    /** A slot for a check of this user from this source, or none when the wait ran out. */
    Slot enter(String userKey, String sourceKey) throws InterruptedException {
        Semaphore source = sources[stripe(sourceKey)];
        Semaphore user = users[stripe(userKey)];
        long deadline = System.nanoTime() + wait.toNanos();
        if (!source.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return null;
        }
        if (!user.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            source.release();
            return null;
        }
        return () -> {
            user.release();
            source.release();
        };
    }

    private static int stripe(String key) {
        return Math.floorMod(key.hashCode() * 0x9E3779B9, STRIPES);
    }

    /** A held slot; closing it lets the next check of the same user or source run. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
