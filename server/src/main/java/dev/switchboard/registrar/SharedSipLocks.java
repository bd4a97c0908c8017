package dev.switchboard.registrar;

import dev.switchboard.web.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps REGISTER lockouts in the database, so a locked user or source address stays locked
 * across a restart and on every node. The SIP threads never wait for it: locks set here are
 * stored, and those set elsewhere read, once per cluster-sync interval (one small query).
 */
@Component
public class SharedSipLocks implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SharedSipLocks.class);

    private final RegisterThrottle throttle;
    private final JdbcClient jdbc;
    private final Clock clock;

    public SharedSipLocks(RegisterThrottle throttle, JdbcClient jdbc, Clock clock) {
        this.throttle = throttle;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Before the SIP listeners open: a restarted node starts with the locks it had. */
    @Override
    public void afterSingletonsInstantiated() {
        exchange();
    }

    /**
     * At shutdown, after the SIP listeners closed: a lock set in the last second, already answered
     * with 403 and audited, is stored before the process goes (SPEC 5: nothing acknowledged is lost).
     */
    @jakarta.annotation.PreDestroy
    public void flush() {
        try {
            store(throttle.takeNewLocks());
        } catch (RuntimeException e) {
            log.warn("storing REGISTER lockouts at shutdown failed: {}", e.toString());
        }
    }

    @Scheduled(fixedDelayString = "${switchboard.registrar.cluster-sync:500ms}",
            initialDelayString = "${switchboard.registrar.cluster-sync:500ms}")
    public void exchange() {
        try {
            store(throttle.takeNewLocks());
            Instant now = clock.instant();
            jdbc.sql("SELECT lock_key, locked_until FROM sip_lock WHERE locked_until > ?")
                    .param(Timestamps.sql(now))
                    .query((rs, i) -> new RegisterThrottle.Lock(rs.getString("lock_key"),
                            Timestamps.read(rs, "locked_until")))
                    .list()
                    .forEach(lock -> throttle.adopt(lock.key(), lock.until()));
        } catch (RuntimeException e) {
            log.warn("sharing REGISTER lockouts failed, will retry: {}", e.toString());
        }
    }

    private void store(List<RegisterThrottle.Lock> locks) {
        Instant now = clock.instant();
        for (RegisterThrottle.Lock lock : locks) {
            String key = lock.key().length() > 300 ? lock.key().substring(0, 300) : lock.key();
            int updated = jdbc.sql("UPDATE sip_lock SET locked_until = ? WHERE lock_key = ? AND locked_until < ?")
                    .params(Timestamps.sql(lock.until()), key, Timestamps.sql(lock.until())).update();
            if (updated == 0) {
                try {
                    jdbc.sql("INSERT INTO sip_lock (lock_key, locked_until) VALUES (?, ?)")
                            .params(key, Timestamps.sql(lock.until())).update();
                } catch (org.springframework.dao.DuplicateKeyException alreadyThere) {
                    // Stored by another node, or a later lock already there: either way it is locked.
                }
            }
        }
        if (!locks.isEmpty()) {
            jdbc.sql("DELETE FROM sip_lock WHERE locked_until < ?").param(Timestamps.sql(now)).update();
        }
    }
}
