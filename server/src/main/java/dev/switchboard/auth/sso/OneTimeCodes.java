package dev.switchboard.auth.sso;

import dev.switchboard.auth.SecureTokens;
import dev.switchboard.web.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Short-lived codes handed to the client's callback URL instead of tokens, so tokens never
 * travel in a URL (browser history, proxy and server logs). Stored hashed, used once.
 */
@Repository
public class OneTimeCodes {

    static final Duration LIFETIME = Duration.ofSeconds(60);

    private final JdbcClient jdbc;
    private final Clock clock;

    public OneTimeCodes(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public String issue(UUID userId) {
        String code = SecureTokens.newToken();
        jdbc.sql("INSERT INTO one_time_code (code_hash, user_id, expires_at) VALUES (?, ?, ?)")
                .params(SecureTokens.sha256Hex(code), userId, Timestamps.sql(clock.instant().plus(LIFETIME)))
                .update();
        return code;
    }

    /** The user of a live code, deleting it so that a replay finds nothing. */
    @Transactional
    public Optional<UUID> redeem(String code) {
        if (code == null || code.isEmpty() || code.length() > 256) {
            return Optional.empty();
        }
        String hash = SecureTokens.sha256Hex(code);
        record Row(UUID userId, Instant expiresAt) {
        }
        Optional<Row> row = jdbc.sql("SELECT user_id, expires_at FROM one_time_code WHERE code_hash = ?").param(hash)
                .query((rs, i) -> new Row(rs.getObject("user_id", UUID.class), Timestamps.read(rs, "expires_at")))
                .optional();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        int taken = jdbc.sql("DELETE FROM one_time_code WHERE code_hash = ?").param(hash).update();
        return row.filter(r -> taken == 1 && r.expiresAt().isAfter(clock.instant())).map(Row::userId);
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT5M")
    public void sweepExpired() {
        jdbc.sql("DELETE FROM one_time_code WHERE expires_at < ?").param(Timestamps.sql(clock.instant())).update();
    }
}
