package dev.switchboard.registrar;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the {@code binding} table in step with the {@link LocationStore}: loads live bindings at
 * start (before SIP listens), then on one background thread sweeps expired bindings and writes
 * the AORs that changed since the last round, and writes the last changes on shutdown (after
 * SIP stopped). SIP threads only mark AORs dirty; a burst of REGISTERs for one AOR costs one write.
 */
@Component
public class BindingPersistence implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BindingPersistence.class);
    /** AORs written per database transaction. */
    private static final int BATCH = 200;

    private final LocationStore store;
    private final BindingRepository repository;
    private final SipDirectory directory;
    private final RegistrarProperties properties;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private volatile ScheduledExecutorService worker;

    public BindingPersistence(LocationStore store, BindingRepository repository, SipDirectory directory,
                              RegistrarProperties properties, PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.repository = repository;
        this.directory = directory;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        directory.reload();
        var live = repository.loadLive(clock.instant());
        store.load(live);
        log.info("location store loaded {} live bindings", live.size());
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registrar-persistence");
            t.setDaemon(true);
            return t;
        });
        long sweep = properties.sweepInterval().toMillis();
        worker.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        long flush = properties.flushInterval().toMillis();
        worker.scheduleWithFixedDelay(this::round, flush, flush, TimeUnit.MILLISECONDS);
        if (!properties.clusterSync().isZero()) {
            long sync = properties.clusterSync().toMillis();
            worker.scheduleWithFixedDelay(this::syncFromOtherNodes, sync, sync, TimeUnit.MILLISECONDS);
        }
        long refresh = properties.directoryRefresh().toMillis();
        worker.scheduleWithFixedDelay(this::refreshDirectory, refresh, refresh, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        // Not holding this object's lock while waiting: the worker may be about to enter flush().
        ScheduledExecutorService w;
        synchronized (this) {
            w = worker;
            worker = null;
        }
        if (w == null) {
            return;
        }
        w.shutdown();
        try {
            w.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        log.info("location store written on shutdown");
    }

    @Override
    public synchronized boolean isRunning() {
        return worker != null;
    }

    /** Starts before the SIP engine (bindings loaded before the first REGISTER) and stops after it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }

    private void sweep() {
        try {
            store.sweep(clock.instant());
        } catch (RuntimeException e) {
            log.warn("sweeping expired bindings failed, will retry: {}", e.toString());
        }
    }

    private void round() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("writing bindings failed, will retry: {}", e.toString());
        }
    }

    /**
     * Writes local changes first, then reads the table back, so what this node has not changed
     * since shows what every node wrote. On this one thread, so no write runs in between.
     */
    private void syncFromOtherNodes() {
        try {
            flush();
            Map<String, List<Binding>> byAor = new HashMap<>();
            for (Binding b : repository.loadLive(clock.instant())) {
                byAor.computeIfAbsent(b.aor(), k -> new ArrayList<>()).add(b);
            }
            store.syncFrom(byAor);
        } catch (RuntimeException e) {
            log.warn("reading bindings of other nodes failed, will retry: {}", e.toString());
        }
    }

    private void refreshDirectory() {
        try {
            directory.reload();
        } catch (RuntimeException e) {
            log.warn("reloading the SIP directory failed, will retry: {}", e.toString());
        }
    }

    /**
     * Deletes the rows of removed bindings and writes every dirty AOR's current bindings. Public so
     * tests and shutdown can force a write.
     */
    public synchronized void flush() {
        List<UUID> gone = new ArrayList<>(store.drainRemoved());
        List<String> aors = new ArrayList<>(store.drainDirty());
        if (!gone.isEmpty()) {
            try {
                transaction.executeWithoutResult(s -> repository.delete(gone));
            } catch (RuntimeException e) {
                log.warn("deleting {} removed bindings failed, will retry: {}", gone.size(), e.toString());
                store.markRemoved(gone);
            }
        }
        for (int from = 0; from < aors.size(); from += BATCH) {
            List<String> batch = aors.subList(from, Math.min(aors.size(), from + BATCH));
            try {
                transaction.executeWithoutResult(s -> batch.forEach(this::write));
            } catch (RuntimeException batchFailed) {
                // One AOR can fail alone (its user was deleted meanwhile): write the rest one by one.
                for (String aor : batch) {
                    try {
                        transaction.executeWithoutResult(s -> write(aor));
                    } catch (RuntimeException e) {
                        log.debug("bindings of one AOR not written: {}", e.toString());
                        if (isTransient(e)) {
                            store.markDirty(Set.of(aor));
                        }
                    }
                }
            }
        }
    }

    private void write(String aor) {
        repository.save(store.lookup(aor));
    }

    private static boolean isTransient(RuntimeException e) {
        return e instanceof org.springframework.dao.TransientDataAccessException
                || e instanceof org.springframework.dao.DataAccessResourceFailureException;
    }
}
