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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts failed sign-ins per key (a user, a source address) within a window, and locks a key
 * that reaches its limit for the lock time. Kept in the shared database so every node agrees;
 * a key's row is locked while it is counted, so parallel failures are all counted.
 */
@Component
public class LoginThrottle {

    /** Keys longer than this (a user name and domain are client input) are stored as their hash. */
    private static final int MAX_PLAIN_KEY = 200;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate newTransaction;
    private final Duration window;
    private final Duration lockTime;

    public LoginThrottle(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions,
                         SwitchboardProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.window = properties.auth().throttle().window();
        this.lockTime = properties.auth().throttle().lockTime();
    }

    /** When the key is locked, the instant the lock ends. */
    public Optional<Instant> lockedUntil(String key) {
        Instant now = clock.instant();
        return jdbc.sql("SELECT locked_until FROM login_throttle WHERE throttle_key = ?").param(stored(key))
                .query((rs, i) -> Optional.ofNullable(Timestamps.read(rs, "locked_until")))
                .optional()
                .flatMap(o -> o)
                .filter(until -> until.isAfter(now));
    }

    /** Counts one failure; answers true when this failure locked the key. */
    public boolean recordFailure(String key, int limit) {
        String k = stored(key);
        for (int attempt = 0; attempt < 5; attempt++) {
            ensureRow(k);
            Optional<Boolean> locked = newTransaction.execute(status -> count(k, limit));
            if (locked.isPresent()) {
                return locked.get();
            }
            // A success reset the key between the two steps; count on a fresh row.
        }
        throw new IllegalStateException("cannot count a failed sign-in for " + k);
    }

    /** Forgets the failures of a key (a successful sign-in of that user). */
    public void reset(String key) {
        newTransaction.executeWithoutResult(status -> jdbc.sql(
                        "DELETE FROM login_throttle WHERE throttle_key = ? AND (locked_until IS NULL OR locked_until < ?)")
                .params(stored(key), Timestamps.sql(clock.instant()))
                .update());
    }

    /**
     * Creates the key's row with no failures if it is missing, in a transaction of its own: a
     * duplicate from a racing request only means the row exists, and on PostgreSQL the failed insert
     * must not poison the transaction that counts.
     */
    private void ensureRow(String key) {
        try {
            newTransaction.executeWithoutResult(status -> jdbc.sql("""
                            INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until)
                            SELECT ?, 0, ?, NULL FROM (VALUES (1)) AS one (x)
                            WHERE NOT EXISTS (SELECT 1 FROM login_throttle WHERE throttle_key = ?)""")
                    .params(key, Timestamps.sql(clock.instant()), key)
                    .update());
        } catch (DuplicateKeyException raced) {
            // another request created it first
        }
    }

    /**
     * Adds a failure under a row lock; empty when the row has gone. A failure that arrives while
     * the key is locked (it passed the lock check in parallel with the one that locked) leaves the
     * lock as it is.
     */
    private Optional<Boolean> count(String key, int limit) {
        Instant now = clock.instant();
        var current = jdbc.sql("""
                        SELECT failures, window_start, locked_until FROM login_throttle
                        WHERE throttle_key = ? FOR UPDATE""")
                .param(key)
                .query((rs, i) -> new Counter(rs.getInt("failures"), Timestamps.read(rs, "window_start"),
                        Timestamps.read(rs, "locked_until")))
                .optional();
        if (current.isEmpty()) {
            return Optional.empty();
        }
        if (current.get().lockedUntil() != null && current.get().lockedUntil().isAfter(now)) {
            return Optional.of(false);
        }
        boolean windowOver = current.get().windowStart().plus(window).isBefore(now);
        int failures = windowOver ? 1 : current.get().failures() + 1;
        Instant windowStart = windowOver ? now : current.get().windowStart();
        boolean lock = failures >= limit;
        jdbc.sql("UPDATE login_throttle SET failures = ?, window_start = ?, locked_until = ? WHERE throttle_key = ?")
                .params(lock ? 0 : failures, Timestamps.sql(lock ? now : windowStart),
                        lock ? Timestamps.sql(now.plus(lockTime)) : null, key)
                .update();
        return Optional.of(lock);
    }

    /** The key as stored: itself when short, else its SHA-256, so any client input fits the column. */
    private static String stored(String key) {
        return key.length() <= MAX_PLAIN_KEY ? key : "sha256:" + SecureTokens.sha256Hex(key);
    }

    private record Counter(int failures, Instant windowStart, Instant lockedUntil) {
    }
}
