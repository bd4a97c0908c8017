package dev.switchboard.registrar;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * start (before SIP listens), then on one background thread sweeps expired bindings, writes
 * the AORs that changed since the last round (in JDBC batches) and takes over what other nodes
 * wrote since the last read, and writes the last changes on shutdown (after SIP stopped). SIP
 * threads only mark AORs dirty; a burst of REGISTERs for one AOR costs one write.
 */
@Component
public class BindingPersistence implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BindingPersistence.class);
    /** AORs written per database transaction (one JDBC batch). */
    private static final int BATCH = 500;
    /** How long removals stay readable by other nodes; a node that could not sync for half of it reads everything. */
    private static final Duration REMOVALS_KEPT = Duration.ofMinutes(10);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    private static final Duration DUE_SCAN_EVERY = Duration.ofSeconds(5);

    private final LocationStore store;
    private final BindingRepository repository;
    private final SipDirectory directory;
    private final RegistrarProperties properties;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private volatile ScheduledExecutorService worker;
    /** This node, in the rows it writes, so it can skip its own writes when reading the others'. */
    private final UUID node = UUID.randomUUID();
    /** The stamp up to which other nodes' changes have been applied. Worker thread only (after start). */
    private long seen;
    private Instant lastSync = Instant.EPOCH;
    private Instant lastPurge = Instant.EPOCH;
    private Instant lastDueScan = Instant.EPOCH;
    /** AORs whose remote changes were skipped for local ones: read again in full once written. */
    private final Set<String> recheck = new HashSet<>();

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
        // The stamp first: what is committed after it is read again by the first sync (harmlessly).
        seen = repository.currentStamp();
        var live = repository.loadLive(clock.instant());
        store.load(live);
        lastSync = clock.instant();
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
            writeChanges();
        } catch (RuntimeException e) {
            log.warn("writing bindings failed, will retry: {}", e.toString());
        }
    }

    /**
     * Writes local changes first, then reads what other nodes changed since the last read (rows and
     * removals stamped after it) and applies it, so what this node has not changed since shows
     * what every node wrote. AORs that had local changes at that moment are read again in full
     * once those are written. After a long failure (removals may have been purged meanwhile),
     * the whole table is read instead. On this one thread, so no write runs in between.
     */
    private void syncFromOtherNodes() {
        try {
            writeChanges();
            Instant now = clock.instant();
            long upTo = repository.currentStamp();
            if (Duration.between(lastSync, now).compareTo(REMOVALS_KEPT.dividedBy(2)) > 0) {
                Map<String, List<Binding>> byAor = group(repository.loadLive(now));
                recheck.clear();
                recheck.addAll(store.syncFrom(byAor));
                log.info("bindings read in full after {} without a sync", Duration.between(lastSync, now));
            } else {
                if (!recheck.isEmpty()) {
                    Set<String> aors = new HashSet<>(recheck);
                    recheck.clear();
                    recheck.addAll(store.syncFrom(group(repository.loadLive(aors, now)), aors));
                }
                recheck.addAll(store.applyRemote(repository.changesSince(seen, upTo, node), now));
            }
            seen = upTo;
            lastSync = now;
            if (Duration.between(lastPurge, now).compareTo(PURGE_EVERY) > 0) {
                lastPurge = now;
                repository.purgeRemovals(now.minus(REMOVALS_KEPT));
            }
        } catch (RuntimeException e) {
            log.warn("reading bindings of other nodes failed, will retry: {}", e.toString());
        }
    }

    /**
     * Writes what changed and, every few seconds, the refreshes falling due within the next few
     * (so the scan of pending refreshes does not run every round).
     */
    private void writeChanges() {
        Instant now = clock.instant();
        if (Duration.between(lastDueScan, now).compareTo(DUE_SCAN_EVERY) >= 0) {
            lastDueScan = now;
            write(now.plus(DUE_SCAN_EVERY.multipliedBy(2)));
        } else {
            write(Instant.MIN);
        }
    }

    private static Map<String, List<Binding>> group(List<Binding> bindings) {
        Map<String, List<Binding>> byAor = new HashMap<>();
        for (Binding b : bindings) {
            byAor.computeIfAbsent(b.aor(), k -> new ArrayList<>(1)).add(b);
        }
        return byAor;
    }

    private void refreshDirectory() {
        try {
            if (directory.reloadIfChanged()) {
                // A change made on another node (a user deleted, a tenant disabled) also ends the
                // bindings this node accepted before it heard of it; it ended the others itself.
                List<Binding> ended = store.removeIf(b -> !directory.admits(b));
                if (!ended.isEmpty()) {
                    log.info("{} bindings ended: their user or tenant changed on another node", ended.size());
                }
            }
        } catch (RuntimeException e) {
            log.warn("reloading the SIP directory failed, will retry: {}", e.toString());
        }
    }

    /**
     * Deletes the rows of removed bindings and writes every changed AOR's current bindings,
     * refreshes not yet due included. Public so tests and shutdown can force a write.
     */
    public void flush() {
        write(Instant.MAX);
    }

    /**
     * Deletes the rows of removed bindings and writes every dirty AOR's current bindings, and
     * those of AORs only refreshed whose write falls due before {@code dueBefore}.
     */
    private synchronized void write(Instant dueBefore) {
        Map<UUID, String> gone = store.drainRemoved();
        Map<String, Instant> emptied = store.drainUnregisteredAll();
        Set<String> changed = store.drainDirty();
        int dirty = changed.size();
        changed.addAll(store.drainDue(dueBefore));
        List<String> aors = new ArrayList<>(changed);
        if (log.isDebugEnabled() && (!aors.isEmpty() || !gone.isEmpty())) {
            log.debug("writing {} AORs ({} changed, the others refreshed and due), deleting {} bindings",
                    aors.size(), dirty, gone.size());
        }
        if (!gone.isEmpty() || !emptied.isEmpty()) {
            try {
                transaction.executeWithoutResult(s -> {
                    long stamp = repository.nextStamp();
                    repository.delete(gone, stamp, node, clock.instant());
                    repository.deleteEveryContact(emptied, stamp, node);
                });
            } catch (RuntimeException e) {
                log.warn("deleting {} removed bindings failed, will retry: {}", gone.size() + emptied.size(),
                        e.toString());
                store.markRemoved(gone);
                store.markUnregisteredAll(emptied);
            }
        }
        for (int from = 0; from < aors.size(); from += BATCH) {
            List<String> batch = aors.subList(from, Math.min(aors.size(), from + BATCH));
            try {
                transaction.executeWithoutResult(s -> writeRows(batch));
            } catch (RuntimeException batchFailed) {
                if (isTransient(batchFailed)) {
                    // The database is away: everything not written yet is written once it is back
                    // (one connection timeout per flush, not one per AOR).
                    List<String> unwritten = aors.subList(from, aors.size());
                    log.warn("bindings of {} AORs not written, will retry: {}", unwritten.size(),
                            batchFailed.toString());
                    store.markDirty(new ArrayList<>(unwritten));
                    break;
                }
                // One AOR can fail alone (its user was deleted meanwhile): write the rest one by one.
                for (String aor : batch) {
                    try {
                        transaction.executeWithoutResult(s -> writeRows(List.of(aor)));
                    } catch (RuntimeException e) {
                        log.warn("bindings of {} not written, {}: {}", aor,
                                isTransient(e) ? "will retry" : "kept in memory only", e.toString());
                        if (isTransient(e)) {
                            store.markDirty(Set.of(aor));
                        }
                    }
                }
            }
        }
    }

    private void writeRows(List<String> aors) {
        List<Binding> rows = new ArrayList<>(aors.size());
        for (String aor : aors) {
            rows.addAll(store.lookup(aor));
        }
        repository.save(rows, repository.nextStamp(), node);
    }

    /**
     * Whether writing may work later: the database is unreachable (no connection to open a
     * transaction with, the probe's PostgreSQL restart) or the failure is a passing one.
     */
    private static boolean isTransient(RuntimeException e) {
        return e instanceof org.springframework.dao.TransientDataAccessException
                || e instanceof org.springframework.dao.DataAccessResourceFailureException
                || e instanceof org.springframework.transaction.CannotCreateTransactionException;
    }
}
