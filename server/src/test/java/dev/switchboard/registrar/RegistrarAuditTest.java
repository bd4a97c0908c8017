package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.audit.AuditLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Aggregated failure records lose no attempt when a flush runs while SIP threads count: every
 * failed attempt is in exactly one written row.
 */
class RegistrarAuditTest {

    @Test
    void countsEveryFailureOnceWhileFlushesRunConcurrently() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicLong rows = new AtomicLong();
        AuditLog log = new AuditLog(null, Clock.systemUTC()) {
            @Override
            public void record(String kind, UUID tenant, String subject, String source, String detail) {
                written.addAndGet(Long.parseLong(detail.split(" ")[0]));
                rows.incrementAndGet();
            }
        };
        RegistrarAudit audit = new RegistrarAudit(log);
        UUID tenant = UUID.randomUUID();
        int threads = 4;
        int perThread = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> sip = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    audit.failure(tenant, "sip:101@example.com", "192.0.2.1");
                }
            });
            thread.start();
            sip.add(thread);
        }
        AtomicBoolean counting = new AtomicBoolean(true);
        Thread flusher = new Thread(() -> {
            while (counting.get()) {
                audit.flush();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        flusher.start();
        start.countDown();
        for (Thread thread : sip) {
            thread.join();
        }
        counting.set(false);
        flusher.join();
        audit.destroy(); // the last flush, and waits for the writer

        assertThat(written.get()).isEqualTo((long) threads * perThread);
        assertThat(rows.get()).as("aggregated, not a row per attempt").isLessThan((long) threads * perThread);
    }
}
