package dev.switchboard.auth.sso;

import dev.switchboard.auth.SecureTokens;
import dev.switchboard.crypto.SecretBox;
import dev.switchboard.web.Timestamps;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code sso_request} rows, keyed by the SHA-256 of the state so the table alone cannot be used
 * to complete someone's sign-in, and the PKCE code verifier sealed under the secret key (it
 * would redeem an authorization code caught on its way back). Shared by all nodes: the callback
 * may reach another node.
 */
@Repository
public class PendingSignInStore {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecretBox box;

    public PendingSignInStore(JdbcClient jdbc, Clock clock, SecretBox box) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.box = box;
    }

    public void save(String state, PendingSignIn p) {
        jdbc.sql("""
                        INSERT INTO sso_request (state_hash, tenant_id, provider, nonce, code_verifier, callback_url,
                            redirect_uri, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(SecureTokens.sha256Hex(state), p.tenantId(), p.provider().wire(), p.nonce(),
                        box.seal(p.codeVerifier()),
                        p.callbackUrl(), p.redirectUri(), Timestamps.sql(p.expiresAt()))
                .update();
    }

    /**
     * Takes the request of a state, once: the row is deleted, and only the caller whose delete
     * removed it gets it, so a replayed callback finds nothing. Expired requests are not answered.
     */
    @Transactional
    public Optional<PendingSignIn> consume(String state) {
        if (state == null || state.isEmpty() || state.length() > 256) {
            return Optional.empty();
        }
        String hash = SecureTokens.sha256Hex(state);
        Optional<PendingSignIn> found = jdbc.sql("""
                        SELECT tenant_id, provider, nonce, code_verifier, callback_url, redirect_uri, expires_at
                        FROM sso_request WHERE state_hash = ?""")
                .param(hash)
                .query((rs, i) -> new PendingSignIn(rs.getObject("tenant_id", UUID.class),
                        SsoProvider.of(rs.getString("provider")).orElseThrow(), rs.getString("nonce"),
                        verifier(rs.getString("code_verifier")), rs.getString("callback_url"),
                        rs.getString("redirect_uri"),
                        Timestamps.read(rs, "expires_at")))
                .optional();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        int taken = jdbc.sql("DELETE FROM sso_request WHERE state_hash = ?").param(hash).update();
        return found.filter(p -> taken == 1 && p.codeVerifier() != null && p.expiresAt().isAfter(clock.instant()));
    }

    /** The sealed verifier opened; a row written before it was sealed (an upgrade mid-sign-in) has none. */
    private String verifier(String sealed) {
        try {
            return box.open(sealed);
        } catch (SecretBox.SecretBoxException | IllegalArgumentException e) {
            return null;
        }
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT5M")
    public void sweepExpired() {
        jdbc.sql("DELETE FROM sso_request WHERE expires_at < ?").param(Timestamps.sql(clock.instant())).update();
    }
}
