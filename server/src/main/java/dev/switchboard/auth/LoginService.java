package dev.switchboard.auth;

import dev.switchboard.audit.AuditLog;
import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.tenant.DomainNames;
import dev.switchboard.tenant.Tenant;
import dev.switchboard.tenant.TenantRepository;
import dev.switchboard.user.PasswordHasher;
import dev.switchboard.user.User;
import dev.switchboard.user.UserRepository;
import dev.switchboard.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Checks a username and password (or its MD5) against the stored hash, under the login
 * throttle: locked users and sources are refused with 429 before any hash work, every failure
 * and lock is audited, and a success resets the user's counter.
 */
@Service
public class LoginService {

    private final TenantRepository tenants;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final SwitchboardProperties.Throttle limits;
    private final Counter failures;
    private final Counter locks;
    private final PasswordCheckSlots slots = new PasswordCheckSlots(Duration.ofSeconds(10));

    public LoginService(TenantRepository tenants, UserRepository users, PasswordHasher hasher, LoginThrottle throttle,
                        AuditLog audit, SwitchboardProperties properties, MeterRegistry meters) {
        this.tenants = tenants;
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.audit = audit;
        this.limits = properties.auth().throttle();
        this.failures = Counter.builder("auth.login.failures")
                .description("Failed HTTP logins (every login call)").register(meters);
        this.locks = Counter.builder("auth.login.locks")
                .description("HTTP login lockouts set (a user or a source address)").register(meters);
    }

    /** Which login call presents the password, and how: named in the audit record of a failure. */
    public enum Proof {
        SIGN_IN("POST /api/auth/sign_in", false),
        LOGIN("POST /api/login", false),
        DEVICE_MD5("GET /api/v1/login", true),
        YAY_HEADERS("Yay X-Auth headers", false),
        PASSWORD_CHANGE("POST /api/v2/me/password", false);

        private final String call;
        private final boolean md5Hex;

        Proof(String call, boolean md5Hex) {
            this.call = call;
            this.md5Hex = md5Hex;
        }
    }

    /**
     * The user named by (domain, username), if the password is right; no domain means the
     * system administrator. Throws 401 for wrong credentials and 429 while locked.
     */
    public User verify(String domain, String username, String password, Proof proof, String source) {
        String scope = scope(domain);
        String userKey = "user:" + scope + "/" + (username == null ? "" : username.toLowerCase(Locale.ROOT));
        String ipKey = "ip:" + source;
        Optional<Tenant> tenant = domain == null || domain.isBlank()
                ? Optional.empty() : tenants.findByDomain(domain.strip());
        UUID tenantId = tenant.map(Tenant::id).orElse(null);

        PasswordCheckSlots.Slot slot = slot(userKey, ipKey);
        if (slot == null) {
            // Checks of this user or from this source queued for longer than a client waits: a flood.
            throw ApiException.locked("Too many sign-ins at once; try again shortly", Instant.now(), Instant.now());
        }
        try (slot) {
            return checked(tenant, tenantId, scope, domain, username, password, proof, source, userKey, ipKey);
        }
    }

    private PasswordCheckSlots.Slot slot(String userKey, String ipKey) {
        try {
            return slots.enter(userKey, ipKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private User checked(Optional<Tenant> tenant, UUID tenantId, String scope, String domain, String username,
                         String password, Proof proof, String source, String userKey, String ipKey) {
        refuseIfLocked(userKey, ipKey, tenantId, scope, username, source);

        Optional<User> user = findUser(tenant, domain, username);
        boolean ok;
        if (user.isPresent()) {
            ok = proof.md5Hex ? hasher.matchesMd5(password, user.get().passwordHash())
                    : hasher.matches(password, user.get().passwordHash());
        } else {
            hasher.burnTime(password);
            ok = false;
        }
        if (!ok) {
            audit.record("LOGIN_FAILED", tenantId, subject(scope, username), source,
                    (user.isPresent() ? "wrong password" : "unknown user or disabled tenant") + " at " + proof.call);
            failures.increment();
            boolean userLocked = throttle.recordFailure(userKey, limits.userFailures());
            boolean ipLocked = throttle.recordFailure(ipKey, limits.ipFailures());
            if (userLocked || ipLocked) {
                locks.increment();
            }
            if (userLocked) {
                audit.record("LOGIN_LOCKED", tenantId, subject(scope, username), source,
                        "user locked after " + limits.userFailures() + " failures");
            }
            if (ipLocked) {
                audit.record("LOGIN_LOCKED", tenantId, "source " + source, source,
                        "source locked after " + limits.ipFailures() + " failures");
            }
            throw ApiException.unauthorized("Wrong username, password or domain");
        }
        throttle.reset(userKey);
        return user.get();
    }

    /**
     * Throws the 429 of {@link #verify} while the user or the source is locked out, for callers
     * that verified the password earlier and remember it (the Yay header login): a lockout set
     * since must stop them as it stops a fresh sign-in.
     */
    public void refuseIfLocked(String domain, String username, UUID tenantId, String source) {
        String scope = scope(domain);
        String userKey = "user:" + scope + "/" + (username == null ? "" : username.toLowerCase(Locale.ROOT));
        refuseIfLocked(userKey, "ip:" + source, tenantId, scope, username, source);
    }

    private void refuseIfLocked(String userKey, String ipKey, UUID tenantId, String scope, String username,
                                String source) {
        Optional<Instant> locked = throttle.lockedUntil(userKey).or(() -> throttle.lockedUntil(ipKey));
        if (locked.isPresent()) {
            audit.record("LOGIN_REFUSED_LOCKED", tenantId, subject(scope, username), source,
                    "locked until " + locked.get());
            throw ApiException.locked("Too many failed sign-ins; try again after " + locked.get(), locked.get(),
                    Instant.now());
        }
    }

    private Optional<User> findUser(Optional<Tenant> tenant, String domain, String username) {
        if (username == null || username.isEmpty() || username.length() > 64) {
            return Optional.empty();
        }
        if (domain == null || domain.isBlank()) {
            return users.findByName(null, username);
        }
        return tenant.filter(Tenant::enabled).flatMap(t -> users.findByName(t.id(), username));
    }

    /**
     * The domain as the lock counts it: its canonical form, so that each way of writing one tenant
     * domain (an IPv6 address with or without brackets, zeros or capitals) shares one user lock.
     */
    private static String scope(String domain) {
        return domain == null || domain.isBlank() ? "system" : DomainNames.key(domain.strip());
    }

    private static String subject(String scope, String username) {
        String name = username == null ? "" : username.length() > 64 ? username.substring(0, 64) : username;
        return name + "@" + scope;
    }
}
