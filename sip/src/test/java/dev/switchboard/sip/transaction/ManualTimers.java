package dev.switchboard.sip.transaction;

import java.time.Duration;
import java.util.PriorityQueue;

/** A timer service on a clock the test advances by hand, so timers fire at exact RFC values. */
final class ManualTimers implements TimerService {

    private record Task(long at, long seq, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    @Override
    public synchronized Timeout schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Task(now + delay.toMillis(), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    long nowMillis() {
        return now;
    }

    /** Moves the clock forward, running every task that falls due, in order. */
    void advance(Duration by) {
        long target = now + by.toMillis();
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.at;
            }
            if (!next.cancelled[0]) {
                next.run.run();
            }
        }
    }
}
