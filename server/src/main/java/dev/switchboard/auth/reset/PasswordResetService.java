package dev.switchboard.auth.reset;

import dev.switchboard.audit.AuditLog;
import dev.switchboard.audit.LogText;
import dev.switchboard.auth.SecureTokens;
import dev.switchboard.auth.sso.CallbackUrls;
import dev.switchboard.auth.sso.SsoSettingsRepository;
import dev.switchboard.tenant.Tenant;
import dev.switchboard.tenant.TenantRepository;
import dev.switchboard.user.PasswordPolicy;
import dev.switchboard.user.User;
import dev.switchboard.user.UserEvents;
import dev.switchboard.user.UserRepository;
import dev.switchboard.user.UserService;
import dev.switchboard.web.ApiException;
import dev.switchboard.web.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Password reset by e-mail link. A request never reveals whether the account exists; the
 * token is random, stored hashed, lives an hour and works once, and a reset ends every session
 * of the user.
 */
@Service
public class PasswordResetService {

    static final Duration LIFETIME = Duration.ofHours(1);
    /** Live links per user at most, so the endpoint cannot be used to flood someone's mailbox. */
    static final int MAX_LIVE_LINKS = 3;
    private static final Logger log = LoggerFactory.getLogger(PasswordResetService.class);

    private final JdbcClient jdbc;
    private final TenantRepository tenants;
    private final UserRepository users;
    private final SsoSettingsRepository sso;
    private final UserService userService;
    private final ResetMailer mailer;
    private final AuditLog audit;
    private final Clock clock;

    public PasswordResetService(JdbcClient jdbc, TenantRepository tenants, UserRepository users,
                                SsoSettingsRepository sso, UserService userService, ResetMailer mailer,
                                AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.users = users;
        this.sso = sso;
        this.userService = userService;
        this.mailer = mailer;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Mails a reset link when the tenant user exists, is enabled, has an e-mail address, and the
     * callback URL is acceptable; otherwise does nothing. Either way the caller learns nothing.
     */
    @Transactional
    public void requestReset(String domain, String username, String callbackUrl) {
        if (domain == null || domain.isBlank() || username == null || username.isEmpty() || username.length() > 64) {
            return;
        }
        Optional<Tenant> tenant = tenants.findByDomain(domain.strip()).filter(Tenant::enabled);
        Optional<User> user = tenant.flatMap(t -> users.findByName(t.id(), username))
                .filter(u -> u.email() != null && !u.email().isBlank());
        if (user.isEmpty() || !callbackAllowed(tenant.get().id(), callbackUrl)) {
            log.info("password reset for {}@{} not sent: unknown user, no e-mail or callback URL not allowed",
                    LogText.of(username), LogText.of(domain));
            return;
        }
        Instant now = clock.instant();
        long live = jdbc.sql("SELECT COUNT(*) FROM password_reset WHERE user_id = ? AND used = FALSE AND expires_at > ?")
                .params(user.get().id(), Timestamps.sql(now)).query(Long.class).single();
        if (live >= MAX_LIVE_LINKS) {
            log.info("password reset for {}@{} not sent: {} links are still live", LogText.of(username),
                    LogText.of(domain), live);
            return;
        }
        String token = SecureTokens.newToken();
        jdbc.sql("INSERT INTO password_reset (token_hash, user_id, expires_at, used) VALUES (?, ?, ?, FALSE)")
                .params(SecureTokens.sha256Hex(token), user.get().id(), Timestamps.sql(now.plus(LIFETIME)))
                .update();
        mailer.send(user.get().email(), user.get().username(), tenant.get().domain(),
                CallbackUrls.withParams(callbackUrl, Map.of("token", token)));
    }

    /** Sets a new password with a live token; 400 for a bad, used or expired token or a weak password. */
    @Transactional
    public void reset(String token, String newPassword, String source) {
        ApiException badToken = ApiException.invalid("token", "the reset link is unknown, already used or expired");
        if (token == null || token.isEmpty() || token.length() > 256) {
            throw badToken;
        }
        String hash = SecureTokens.sha256Hex(token);
        Instant now = clock.instant();
        UUID userId = jdbc.sql("SELECT user_id FROM password_reset WHERE token_hash = ? AND used = FALSE AND expires_at > ?")
                .params(hash, Timestamps.sql(now)).query(UUID.class).optional()
                .orElseThrow(() -> badToken);
        // A disabled tenant's users cannot sign in; a link does not let them in either.
        User user = users.find(userId)
                .filter(u -> u.tenantId().flatMap(tenants::find).map(Tenant::enabled).orElse(false))
                .orElseThrow(() -> badToken);
        // The password is checked before the token is spent, so a refused password can be retried.
        String problem = PasswordPolicy.problem(newPassword);
        if (problem != null) {
            throw ApiException.invalid("new_password", problem.replace("password", "new_password"));
        }
        int spent = jdbc.sql("UPDATE password_reset SET used = TRUE WHERE token_hash = ? AND used = FALSE")
                .param(hash).update();
        if (spent != 1) {
            throw badToken;
        }
        // Other links of the user die with this one, and so does every session signed in before.
        userService.setOwnPassword(userId, newPassword);
        audit.record("PASSWORD_RESET", user.tenantId().orElse(null), user.username(), source,
                "password set with an e-mailed reset link; sessions revoked");
    }

    /**
     * A link mailed to an address the user no longer has, or made before an administrator set a
     * new password, must not work afterwards (in the same transaction as the change).
     */
    @EventListener
    public void onLoginCredentialsChanged(UserEvents.LoginCredentialsChanged changed) {
        int ended = jdbc.sql("UPDATE password_reset SET used = TRUE WHERE user_id = ? AND used = FALSE")
                .param(changed.userId()).update();
        if (ended > 0) {
            log.info("{} password reset links ended: user={} changed password or e-mail", ended, changed.userId());
        }
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    public void sweepExpired() {
        jdbc.sql("DELETE FROM password_reset WHERE expires_at < ?")
                .param(Timestamps.sql(clock.instant().minus(Duration.ofDays(1)))).update();
    }

    /** http(s) always; and when the tenant has SSO callback prefixes, one of them. */
    private boolean callbackAllowed(UUID tenant, String callbackUrl) {
        if (!CallbackUrls.isHttp(callbackUrl)) {
            return false;
        }
        List<String> prefixes = sso.allCallbackPrefixes(tenant);
        return prefixes.isEmpty() || CallbackUrls.allowed(callbackUrl, prefixes);
    }

}
