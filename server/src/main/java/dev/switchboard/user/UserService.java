package dev.switchboard.user;

import dev.switchboard.auth.TokenService;
import dev.switchboard.tenant.Tenant;
import dev.switchboard.tenant.TenantRepository;
import dev.switchboard.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, changes and removes the users of a tenant, enforcing the username, password and SIP credential rules. */
@Service
public class UserService {

    private static final Logger log = LoggerFactory.getLogger(UserService.class);
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");

    private final UserRepository users;
    private final TenantRepository tenants;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SipNameHolders otherSipNames;

    public UserService(UserRepository users, TenantRepository tenants, PasswordHasher hasher, TokenService tokens,
                       ApplicationEventPublisher events, Clock clock, SipNameHolders otherSipNames) {
        this.users = users;
        this.otherSipNames = otherSipNames;
        this.tenants = tenants;
        this.hasher = hasher;
        this.tokens = tokens;
        this.events = events;
        this.clock = clock;
    }

    /** Fields a client may set; null means "not given". An empty string clears email, extension, sip_password. */
    public record Changes(String username, String password, Role role, String email, String extension,
                          String sipPassword) {
    }

    public Optional<User> find(UUID tenant, UUID id) {
        return users.find(id).filter(u -> u.tenantId().map(tenant::equals).orElse(false));
    }

    public List<User> page(UUID tenant, UUID after, int limit) {
        tenants.find(tenant).orElseThrow(() -> ApiException.notFound("Tenant"));
        return users.page(tenant, after, limit);
    }

    @Transactional
    public User create(UUID tenantId, Changes c) {
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> ApiException.notFound("Tenant"));
        String username = username(c.username());
        String passwordProblem = PasswordPolicy.problem(c.password());
        if (passwordProblem != null) {
            throw ApiException.invalid("password", passwordProblem);
        }
        if (c.role() == null) {
            throw ApiException.invalid("role", "role is required: Admin or StandardUser");
        }
        Role role = tenantRole(c.role());
        String email = email(c.email());
        String extension = blankToNull(c.extension());
        String sipPassword = blankToNull(c.sipPassword());
        SipCredentials sip = sipCredentials(tenant, extension, sipPassword);
        checkUnique(tenantId, null, username, email, extension, true);
        Instant now = clock.instant();
        User user = new User(UUID.randomUUID(), Optional.of(tenantId), username, role, email,
                hasher.hash(c.password()), false, extension, sip == null ? null : sip.ha1Md5(),
                sip == null ? null : sip.ha1Sha256(), now, now);
        try {
            users.insert(user);
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("username", "username or extension is already used in this tenant");
        }
        if (sip != null) {
            events.publishEvent(new UserEvents.SipCredentialsChanged(tenantId, user.id(), false));
        }
        log.info("user created: tenant={} user={} role={}", tenantId, user.id(), role.wire());
        return user;
    }

    @Transactional
    public User update(UUID tenantId, UUID id, Changes c) {
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> ApiException.notFound("Tenant"));
        User current = find(tenantId, id).orElseThrow(() -> ApiException.notFound("User"));
        String username = c.username() == null ? current.username() : username(c.username());
        Role role = c.role() == null ? current.role() : tenantRole(c.role());
        String email = c.email() == null ? current.email() : email(c.email());
        String passwordHash = current.passwordHash();
        boolean passwordChanged = c.password() != null;
        if (passwordChanged) {
            String problem = PasswordPolicy.problem(c.password());
            if (problem != null) {
                throw ApiException.invalid("password", problem);
            }
            passwordHash = hasher.hash(c.password());
        }
        String extension = c.extension() == null ? current.extension() : blankToNull(c.extension());
        String ha1Md5 = current.sipHa1Md5();
        String ha1Sha256 = current.sipHa1Sha256();
        boolean sipChanged = false;
        if (c.sipPassword() != null || (extension != null && !extension.equals(current.extension()))) {
            String sipPassword = blankToNull(c.sipPassword());
            if (sipPassword == null && extension != null && c.sipPassword() == null && current.hasSipPassword()) {
                throw ApiException.invalid("sip_password",
                        "changing the extension needs the sip_password again: digests are bound to the user part");
            }
            SipCredentials sip = sipCredentials(tenant, extension, sipPassword);
            ha1Md5 = sip == null ? null : sip.ha1Md5();
            ha1Sha256 = sip == null ? null : sip.ha1Sha256();
            sipChanged = true;
        } else if (extension == null && current.extension() != null) {
            ha1Md5 = null;
            ha1Sha256 = null;
            sipChanged = true;
        }
        if (!passwordChanged && username.equals(current.username()) && role == current.role()
                && Objects.equals(email, current.email()) && Objects.equals(extension, current.extension())
                && Objects.equals(ha1Md5, current.sipHa1Md5()) && Objects.equals(ha1Sha256, current.sipHa1Sha256())) {
            // Nothing changed (the digests of the same SIP password are the same): updated_at keeps
            // telling when something last did, as for tenants, and no binding is touched.
            return current;
        }
        checkUnique(tenantId, id, username, email, extension,
                !Objects.equals(extension, current.extension()));
        User updated = new User(id, current.tenantId(), username, role, email, passwordHash,
                passwordChanged ? false : current.passwordForceReset(), extension, ha1Md5, ha1Sha256,
                current.createdAt(), clock.instant());
        try {
            users.update(updated);
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("username", "username or extension is already used in this tenant");
        }
        if (passwordChanged || role != current.role()) {
            tokens.revokeUser(id);
        }
        if (passwordChanged || !Objects.equals(email, current.email())) {
            events.publishEvent(new UserEvents.LoginCredentialsChanged(tenantId, id));
        }
        if (sipChanged) {
            boolean keepsAor = current.hasSipPassword() && ha1Md5 != null
                    && Objects.equals(extension, current.extension());
            events.publishEvent(new UserEvents.SipCredentialsChanged(tenantId, id, !keepsAor));
        }
        log.info("user updated: tenant={} user={}", tenantId, id);
        return updated;
    }

    /**
     * A new login password the user set itself: proving the current one (the only way the system
     * administrator, who has no tenant and no reset mail, changes its own) or with an e-mailed
     * reset link. Clears {@code password_force_reset}, ends every session and every reset link of
     * the user.
     */
    @Transactional
    public void setOwnPassword(UUID id, String newPassword) {
        String problem = PasswordPolicy.problem(newPassword);
        if (problem != null) {
            throw ApiException.invalid("new_password", problem.replace("password", "new_password"));
        }
        User current = users.find(id).orElseThrow(() -> ApiException.unauthorized("Token is no longer valid"));
        users.update(new User(current.id(), current.tenantId(), current.username(), current.role(), current.email(),
                hasher.hash(newPassword), false, current.extension(), current.sipHa1Md5(), current.sipHa1Sha256(),
                current.createdAt(), clock.instant()));
        tokens.revokeUser(id);
        events.publishEvent(new UserEvents.LoginCredentialsChanged(current.tenantId().orElse(null), id));
        log.info("login password set by its user: tenant={} user={}", current.tenantId().orElse(null), id);
    }

    @Transactional
    public void delete(UUID tenantId, UUID id) {
        find(tenantId, id).orElseThrow(() -> ApiException.notFound("User"));
        users.delete(id);
        events.publishEvent(new UserEvents.Deleted(tenantId, id));
        log.info("user deleted: tenant={} user={}", tenantId, id);
    }

    private void checkUnique(UUID tenantId, UUID self, String username, String email, String extension,
                             boolean newExtension) {
        users.findByName(tenantId, username).filter(u -> !u.id().equals(self)).ifPresent(u -> {
            throw ApiException.conflict("username", "username " + username + " is already used in this tenant");
        });
        if (email != null && users.emailTaken(tenantId, email, self)) {
            throw ApiException.conflict("email", "email " + email + " is already used in this tenant");
        }
        if (extension != null && newExtension) {
            // A trunk method created at the same moment checks the extensions under this lock too,
            // so one of the two sees the other (SPEC 3.3: one name space).
            otherSipNames.lockNames();
        }
        if (extension != null && users.extensionTaken(tenantId, extension, self)) {
            throw ApiException.conflict("extension", "extension " + extension + " is already used in this tenant");
        }
        // SPEC 3.3: a trunk sipuser name and a user extension of one tenant are one name space.
        if (extension != null && newExtension && otherSipNames.holds(tenantId, extension)) {
            throw ApiException.conflict("extension", "extension " + extension + " is a trunk's SIP username");
        }
    }

    private static String username(String username) {
        String problem = UsernameRules.problem(username);
        if (problem != null) {
            throw ApiException.invalid("username", problem);
        }
        return username;
    }

    private static Role tenantRole(Role role) {
        if (role == Role.SYSTEM_ADMIN) {
            throw ApiException.invalid("role", "role SystemAdmin is reserved for the system administrator");
        }
        return role;
    }

    private static String email(String email) {
        String value = blankToNull(email);
        if (value != null && (value.length() > 320 || !EMAIL.matcher(value).matches())) {
            throw ApiException.invalid("email", "email must be an address like name@example.com");
        }
        return value;
    }

    private static SipCredentials sipCredentials(Tenant tenant, String extension, String sipPassword) {
        if (extension != null) {
            String problem = SipCredentials.extensionProblem(extension);
            if (problem != null) {
                throw ApiException.invalid("extension", problem);
            }
        }
        if (sipPassword == null) {
            return null;
        }
        if (extension == null) {
            throw ApiException.invalid("extension", "extension is required with sip_password");
        }
        String problem = SipCredentials.passwordProblem(sipPassword);
        if (problem != null) {
            throw ApiException.invalid("sip_password", problem);
        }
        return SipCredentials.derive(extension, tenant.domain(), sipPassword);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
