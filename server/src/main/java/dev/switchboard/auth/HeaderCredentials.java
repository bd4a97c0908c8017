package dev.switchboard.auth;

import dev.switchboard.tenant.Tenant;
import dev.switchboard.tenant.TenantRepository;
import dev.switchboard.user.User;
import dev.switchboard.user.UserRepository;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Authenticates the Yay surface's header credentials ({@code X-Auth-Reseller} = tenant domain,
 * {@code X-Auth-User}, {@code X-Auth-Password}) on every request without paying for a slow
 * password hash each time: a verified (domain, user, password) is remembered for a short while.
 *
 * <p>The cache key is an HMAC of the three under a random per-process key, so the heap never holds
 * a password or an unsalted hash of one. A hit is honoured only while the user still exists, still
 * has the same stored password hash (a password change ends it at once), its tenant is enabled and
 * neither the user nor the source is locked out (a lockout set since by failures elsewhere stops it
 * as it stops a sign-in); the role is read fresh. Misses go through {@link LoginService}: throttle, lockout and audit apply,
 * and failures count toward the login throttle.
 */
@Component
public class HeaderCredentials {

    static final Duration TTL = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 10_000;

    private record Verified(UUID userId, String passwordHash, Instant until) {
    }

    private final LoginService logins;
    private final UserRepository users;
    private final TenantRepository tenants;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();

    public HeaderCredentials(LoginService logins, UserRepository users, TenantRepository tenants, Clock clock) {
        this.logins = logins;
        this.users = users;
        this.tenants = tenants;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    /**
     * The caller named by the headers; a blank domain means the system administrator. Throws the
     * {@link LoginService}'s 401 or 429 refusals.
     */
    public Caller authenticate(String domain, String username, String password, String source) {
        String scope = domain == null || domain.isBlank() ? "" : domain.strip().toLowerCase(Locale.ROOT);
        String cacheKey = mac(scope, username, password);
        Instant now = clock.instant();
        Verified hit = cache.get(cacheKey);
        if (hit != null && hit.until().isAfter(now)) {
            Optional<User> user = users.find(hit.userId())
                    .filter(u -> u.passwordHash().equals(hit.passwordHash()))
                    .filter(u -> u.tenantId().map(t -> tenants.find(t).map(Tenant::enabled).orElse(false)).orElse(true));
            if (user.isPresent()) {
                logins.refuseIfLocked(scope, username, user.get().tenantId().orElse(null), source);
                return caller(user.get(), hit.until());
            }
            cache.remove(cacheKey);
        }
        User user = logins.verify(scope.isEmpty() ? null : scope, username, password, LoginService.Proof.YAY_HEADERS, source);
        Verified verified = new Verified(user.id(), user.passwordHash(), now.plus(TTL));
        remember(cacheKey, verified, now);
        return caller(user, verified.until());
    }

    private void remember(String cacheKey, Verified verified, Instant now) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.values().removeIf(v -> !v.until().isAfter(now));
        }
        if (cache.size() < MAX_ENTRIES) {
            cache.put(cacheKey, verified);
        }
    }

    /** Header callers have no session: the session id is all zeros and there is no token to revoke. */
    private static Caller caller(User user, Instant until) {
        return new Caller(user.id(), user.tenantId(), user.username(), user.role(), new UUID(0, 0), "", until, true);
    }

    private String mac(String scope, String username, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            // Lengths first, so no choice of the three strings can collide with another.
            String material = scope.length() + ":" + username.length() + ":" + scope + username + password;
            return HexFormat.of().formatHex(mac.doFinal(material.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
