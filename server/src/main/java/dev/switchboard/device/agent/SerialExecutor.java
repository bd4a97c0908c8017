package dev.switchboard.device.agent;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in order, on a shared pool: each registration's state is touched
 * only by its own tasks, so it needs no locks, and many accounts share a few threads.
 */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    private volatile java.util.function.Consumer<RuntimeException> onFailure = e -> { };

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** What to do, in order with the tasks, when one throws: a registration must not stall on a bug. */
    void onFailure(java.util.function.Consumer<RuntimeException> handler) {
        this.onFailure = handler;
    }

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
        if (!running) {
            running = true;
            pool.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("registration task failed", e);
                try {
                    onFailure.accept(e);
                } catch (RuntimeException again) {
                    log.error("handling a failed registration task failed too", again);
                }
            }
        }
    }
}
