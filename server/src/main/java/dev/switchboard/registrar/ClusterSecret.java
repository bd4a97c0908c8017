package dev.switchboard.registrar;

import dev.switchboard.web.Timestamps;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The key behind stateless digest nonces, shared by every node through the database: the first
 * node to start generates it, every other node (and every restart) reads the same row, so a
 * nonce issued by one node verifies on all of them. Never logged.
 */
@Component
public class ClusterSecret {

    private static final int KEY_BYTES = 32;

    private final JdbcClient jdbc;
    private final Clock clock;

    public ClusterSecret(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The nonce key, creating it on first use; two nodes racing both end up with the winner's key. */
    public byte[] nonceKey() {
        Optional<String> stored = read();
        if (stored.isEmpty()) {
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            try {
                jdbc.sql("INSERT INTO cluster_secret (id, secret, created_at) VALUES (1, ?, ?)")
                        .params(Base64.getEncoder().encodeToString(fresh), Timestamps.sql(clock.instant()))
                        .update();
            } catch (DataIntegrityViolationException lostTheRace) {
                // Another node inserted first: use its key.
            }
            stored = read();
        }
        return Base64.getDecoder().decode(stored.orElseThrow(() -> new IllegalStateException("no cluster secret")));
    }

    private Optional<String> read() {
        return jdbc.sql("SELECT secret FROM cluster_secret WHERE id = 1").query(String.class).optional();
    }
}
