package dev.switchboard.auth;

import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.web.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts failed sign-ins per key (a user, a source address) within a window, and locks a key
 * that reaches its limit for the lock time. Kept in the shared database so every node agrees.
 */
@Component
public class LoginThrottle {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration window;
    private final Duration lockTime;

    public LoginThrottle(JdbcClient jdbc, Clock clock, SwitchboardProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.window = properties.auth().throttle().window();
        this.lockTime = properties.auth().throttle().lockTime();
    }

    /** When the key is locked, the instant the lock ends. */
    public Optional<Instant> lockedUntil(String key) {
        Instant now = clock.instant();
        return jdbc.sql("SELECT locked_until FROM login_throttle WHERE throttle_key = ?").param(key)
                .query((rs, i) -> Optional.ofNullable(Timestamps.read(rs, "locked_until")))
                .optional()
                .flatMap(o -> o)
                .filter(until -> until.isAfter(now));
    }

    /** Counts one failure; answers true when this failure locked the key. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public boolean recordFailure(String key, int limit) {
        Instant now = clock.instant();
        var current = jdbc.sql("SELECT failures, window_start FROM login_throttle WHERE throttle_key = ?").param(key)
                .query((rs, i) -> new Counter(rs.getInt("failures"), Timestamps.read(rs, "window_start")))
                .optional();
        if (current.isEmpty()) {
            try {
                jdbc.sql("INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) VALUES (?, 1, ?, ?)")
                        .params(key, Timestamps.sql(now), limit <= 1 ? Timestamps.sql(now.plus(lockTime)) : null)
                        .update();
                return limit <= 1;
            } catch (DuplicateKeyException raced) {
                return recordFailure(key, limit);
            }
        }
        boolean windowOver = current.get().windowStart().plus(window).isBefore(now);
        int failures = windowOver ? 1 : current.get().failures() + 1;
        Instant windowStart = windowOver ? now : current.get().windowStart();
        boolean lock = failures >= limit;
        jdbc.sql("UPDATE login_throttle SET failures = ?, window_start = ?, locked_until = ? WHERE throttle_key = ?")
                .params(lock ? 0 : failures, Timestamps.sql(lock ? now : windowStart),
                        lock ? Timestamps.sql(now.plus(lockTime)) : null, key)
                .update();
        return lock;
    }

    /** Forgets the failures of a key (a successful sign-in of that user). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void reset(String key) {
        jdbc.sql("DELETE FROM login_throttle WHERE throttle_key = ? AND (locked_until IS NULL OR locked_until < ?)")
                .params(key, Timestamps.sql(clock.instant()))
                .update();
    }

    private record Counter(int failures, Instant windowStart) {
    }
}
