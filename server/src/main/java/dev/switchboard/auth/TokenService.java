package dev.switchboard.auth;

import dev.switchboard.audit.AuditLog;
import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.user.Role;
import dev.switchboard.web.ApiException;
import dev.switchboard.web.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues, checks, rotates and revokes bearer tokens. Tokens are random and stored only as
 * their SHA-256, in the shared database, so every node accepts and revokes the same ones.
 */
@Service
public class TokenService {

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration accessTtl;
    private final Duration refreshTtl;

    public TokenService(JdbcClient jdbc, Clock clock, SwitchboardProperties properties, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.accessTtl = properties.auth().accessTokenTtl();
        this.refreshTtl = properties.auth().refreshTokenTtl();
    }

    /** Starts a session: an access token and a refresh token. */
    @Transactional
    public IssuedTokens signIn(UUID userId, boolean passwordVerified) {
        return issuePair(userId, UUID.randomUUID(), passwordVerified);
    }

    /** A device-surface token (BAS-IP shape), with the access lifetime and no refresh. */
    @Transactional
    public IssuedTokens deviceToken(UUID userId) {
        String token = SecureTokens.newHexToken();
        UUID session = UUID.randomUUID();
        Instant expires = issueTime().plus(accessTtl);
        store(token, TokenKind.DEVICE, userId, session, true, expires);
        return new IssuedTokens(session, token, expires, accessTtl.toSeconds(), null);
    }

    /** Resolves a bearer token of the given kinds to its caller, if it is known, live and its tenant enabled. */
    public Optional<Caller> authenticate(String token, TokenKind... kinds) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return Optional.empty();
        }
        String hash = SecureTokens.sha256Hex(token);
        Instant now = clock.instant();
        return jdbc.sql("""
                        SELECT t.kind, t.user_id, t.session_id, t.expires_at, t.password_verified,
                               u.tenant_id, u.username, u.role
                        FROM auth_token t
                        JOIN app_user u ON u.id = t.user_id
                        LEFT JOIN tenant n ON n.id = u.tenant_id
                        WHERE t.token_hash = :hash AND t.kind IN (:kinds) AND t.revoked = FALSE
                          AND t.expires_at > :now AND (u.tenant_id IS NULL OR n.enabled = TRUE)
                        """)
                .param("hash", hash)
                .param("kinds", kindNames(kinds))
                .param("now", Timestamps.sql(now))
                .query((rs, i) -> new Caller(
                            rs.getObject("user_id", UUID.class),
                            Optional.ofNullable(rs.getObject("tenant_id", UUID.class)),
                            rs.getString("username"),
                            Role.valueOf(rs.getString("role")),
                            rs.getObject("session_id", UUID.class),
                            hash,
                            Timestamps.read(rs, "expires_at"),
                            rs.getBoolean("password_verified")))
                .optional();
    }

    /**
     * Exchanges a refresh token for a new pair. The old refresh token is spent; presenting a
     * spent one again means it was stolen or replayed, so the whole session is revoked.
     */
    @Transactional(noRollbackFor = ApiException.class)
    public IssuedTokens refresh(String refreshToken, String source) {
        if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 512) {
            throw ApiException.unauthorized("Refresh token is invalid or expired");
        }
        String hash = SecureTokens.sha256Hex(refreshToken);
        // Serializes exchanges of one refresh token: a parallel replay waits here for the exchange it
        // races, then sees the token spent (and revokes once, not in a deadlock with other replays).
        jdbc.sql("SELECT token_hash FROM auth_token WHERE token_hash = ? AND kind = 'REFRESH' FOR UPDATE")
                .param(hash).query(String.class).optional();
        var row = jdbc.sql("""
                        SELECT t.user_id, t.session_id, t.expires_at, t.revoked, t.used, t.password_verified
                        FROM auth_token t
                        JOIN app_user u ON u.id = t.user_id
                        LEFT JOIN tenant n ON n.id = u.tenant_id
                        WHERE t.token_hash = ? AND t.kind = 'REFRESH'
                          AND (u.tenant_id IS NULL OR n.enabled = TRUE)
                        """)
                .param(hash)
                .query((rs, i) -> new RefreshRow(
                        rs.getObject("user_id", UUID.class),
                        rs.getObject("session_id", UUID.class),
                        Timestamps.read(rs, "expires_at"),
                        rs.getBoolean("revoked"),
                        rs.getBoolean("used"),
                        rs.getBoolean("password_verified")))
                .optional()
                .orElseThrow(() -> ApiException.unauthorized("Refresh token is invalid or expired"));
        if (row.revoked() || !row.expiresAt().isAfter(clock.instant())) {
            throw ApiException.unauthorized("Refresh token is invalid or expired");
        }
        int spent = jdbc.sql("UPDATE auth_token SET used = TRUE WHERE token_hash = ? AND used = FALSE")
                .param(hash).update();
        if (row.used() || spent == 0) {
            revokeSession(row.sessionId());
            log.warn("refresh token reused; session {} of user {} revoked", row.sessionId(), row.userId());
            auditReuse(row.userId(), source);
            throw ApiException.unauthorized("Refresh token was already used; the session has been revoked");
        }
        return issuePair(row.userId(), row.sessionId(), row.passwordVerified());
    }

    /** A spent refresh token presented again is a stolen or replayed one: on record for the tenant's admins. */
    private void auditReuse(UUID userId, String source) {
        jdbc.sql("SELECT u.tenant_id, u.username, n.domain FROM app_user u"
                        + " LEFT JOIN tenant n ON n.id = u.tenant_id WHERE u.id = ?")
                .param(userId)
                .query((rs, i) -> {
                    String domain = rs.getString("domain");
                    audit.record("REFRESH_TOKEN_REUSED", rs.getObject("tenant_id", UUID.class),
                            rs.getString("username") + "@" + (domain == null ? "system" : domain), source,
                            "a spent refresh token was presented again; its session is revoked");
                    return userId;
                })
                .optional();
    }

    /** Ends a session: every token issued to it stops working on every node. */
    public void revokeSession(UUID sessionId) {
        jdbc.sql("UPDATE auth_token SET revoked = TRUE WHERE session_id = ?").param(sessionId).update();
    }

    /** Ends every session of a user (password reset, deletion). */
    public void revokeUser(UUID userId) {
        jdbc.sql("UPDATE auth_token SET revoked = TRUE WHERE user_id = ?").param(userId).update();
    }

    /**
     * Ends every session of a tenant's users when the tenant is disabled: enabling it again later
     * does not bring back tokens handed out before (SPEC 2, revocations reach every node).
     */
    @org.springframework.context.event.EventListener
    public void on(dev.switchboard.tenant.TenantEvents.Deactivated e) {
        int revoked = jdbc.sql("UPDATE auth_token SET revoked = TRUE WHERE revoked = FALSE"
                        + " AND user_id IN (SELECT id FROM app_user WHERE tenant_id = ?)")
                .param(e.tenantId()).update();
        log.info("tenant {} disabled: {} tokens of its users revoked", e.tenantId(), revoked);
    }

    /** Forgets tokens that can no longer be used; a day of grace keeps reuse detection meaningful. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    public void sweepExpired() {
        int removed = jdbc.sql("DELETE FROM auth_token WHERE expires_at < ?")
                .param(Timestamps.sql(clock.instant().minus(Duration.ofDays(1))))
                .update();
        if (removed > 0) {
            log.info("removed {} expired tokens", removed);
        }
    }

    private IssuedTokens issuePair(UUID userId, UUID session, boolean passwordVerified) {
        Instant now = issueTime();
        String access = SecureTokens.newToken();
        String refresh = SecureTokens.newToken();
        Instant accessExpires = now.plus(accessTtl);
        store(access, TokenKind.ACCESS, userId, session, passwordVerified, accessExpires);
        store(refresh, TokenKind.REFRESH, userId, session, passwordVerified, now.plus(refreshTtl));
        return new IssuedTokens(session, access, accessExpires, accessTtl.toSeconds(), refresh);
    }

    /**
     * Now, in whole seconds: the expiry handed to the client is then exactly the one the database
     * keeps (which would otherwise round the clock's nanoseconds), so answers about a token agree.
     */
    private Instant issueTime() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private void store(String token, TokenKind kind, UUID userId, UUID session, boolean passwordVerified,
                       Instant expires) {
        jdbc.sql("""
                        INSERT INTO auth_token (token_hash, kind, user_id, session_id, password_verified,
                                                expires_at, revoked, used, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, FALSE, FALSE, ?)
                        """)
                .params(SecureTokens.sha256Hex(token), kind.name(), userId, session, passwordVerified,
                        Timestamps.sql(expires), Timestamps.sql(clock.instant()))
                .update();
    }

    private static java.util.List<String> kindNames(TokenKind[] kinds) {
        if (kinds.length == 0) {
            return java.util.List.of(TokenKind.ACCESS.name());
        }
        return java.util.Arrays.stream(kinds).map(Enum::name).toList();
    }

    private record RefreshRow(UUID userId, UUID sessionId, Instant expiresAt, boolean revoked, boolean used,
                              boolean passwordVerified) {
    }
}
