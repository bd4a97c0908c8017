package dev.switchboard.registrar;

import dev.switchboard.audit.AuditLog;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Audit records of the registrar, written off the SIP threads. Failed digest attempts are
 * aggregated per tenant, user and source into one row per flush interval ("3 failed digest
 * attempts"), so a flood writes a handful of rows, not one per packet; locks are written at
 * once. The writer is one thread with a bounded queue: when the database is slow, rows are
 * dropped (and counted) rather than SIP threads blocked.
 */
@Component
public class RegistrarAudit implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RegistrarAudit.class);
    /** Distinct (tenant, user, source) keys aggregated between flushes; beyond, failures are only counted. */
    private static final int MAX_KEYS = 10_000;

    public static final String FAILURE = "sip.register.failure";
    public static final String LOCKED = "sip.register.locked";
    /** A failed digest answer to the trunk gate's 407 (a call, not a REGISTER). */
    public static final String CALL_FAILURE = "sip.call.failure";
    /** A lock that failed call digests (through the trunk gate) set; the lock itself is shared with REGISTER. */
    public static final String CALL_LOCKED = "sip.call.locked";

    private record Key(String kind, UUID tenant, String user, String source) {
    }

    private final AuditLog audit;
    /** Counts since the last flush; merged and removed atomically per key, so none falls between the two. */
    private final Map<Key, Long> failures = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000), r -> {
                Thread t = new Thread(r, "registrar-audit");
                t.setDaemon(true);
                return t;
            }, (r, executor) -> dropped.incrementAndGet());

    public RegistrarAudit(AuditLog audit) {
        this.audit = audit;
    }

    /** A failed digest attempt: aggregated, written at the next flush. Never blocks. */
    public void failure(UUID tenant, String user, String source) {
        failure(FAILURE, tenant, user, source);
    }

    /** A failed digest attempt of the given kind ({@link #FAILURE}, {@link #CALL_FAILURE}). */
    public void failure(String kind, UUID tenant, String user, String source) {
        Key key = new Key(kind, tenant, user, source);
        if (failures.size() >= MAX_KEYS && !failures.containsKey(key)) {
            dropped.incrementAndGet();
            return;
        }
        // Not get-then-increment on a counter object: a flush could remove the counter between the
        // two, and the increment would be lost with it.
        failures.merge(key, 1L, Long::sum);
    }

    /**
     * A user or source address got locked, under the kind of attempt that set the lock
     * ({@link #LOCKED} or {@link #CALL_LOCKED}): written at once (through the queue).
     */
    public void locked(String kind, UUID tenant, String user, String source, String what) {
        writer.execute(() -> write(kind, tenant, user, source, what + " locked after repeated digest failures"));
    }

    /** Writes the aggregated failures; runs on the scheduler, never on a SIP thread. */
    @Scheduled(fixedDelayString = "${switchboard.registrar.audit-flush-interval:5s}")
    public void flush() {
        for (Key key : failures.keySet()) {
            Long removed = failures.remove(key);
            long count = removed == null ? 0 : removed;
            if (count > 0) {
                writer.execute(() -> write(key.kind(), key.tenant(), key.user(), key.source(),
                        count + (count == 1 ? " failed digest attempt" : " failed digest attempts")));
            }
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            log.warn("{} registrar audit records dropped: the audit writer could not keep up", lost);
        }
    }

    private void write(String kind, UUID tenant, String user, String source, String detail) {
        try {
            audit.record(kind, tenant, user, source, detail);
        } catch (RuntimeException e) {
            log.warn("registrar audit record not written: {}", e.toString());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        flush();
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
