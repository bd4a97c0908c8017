package dev.switchboard.user;

import dev.switchboard.auth.SecureTokens;
import dev.switchboard.config.SwitchboardProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Creates the system administrator {@code admin} on the first start: with the configured
 * password, or a generated one printed once on standard output (never to the log).
 */
@Component
@Order(0)
public class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final SwitchboardProperties properties;
    private final Clock clock;

    public AdminBootstrap(UserRepository users, PasswordHasher hasher, SwitchboardProperties properties, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.anySystemAdmin()) {
            return;
        }
        String configured = properties.adminPassword();
        boolean generated = configured == null || configured.isEmpty();
        String password = generated ? SecureTokens.newToken().substring(0, 24) : configured;
        // A configured password below the login rules still starts the server (it is the operator's
        // own choice, and the only way in), but is flagged for a change and said in the log.
        String weakness = generated ? null : PasswordPolicy.problem(password);
        if (weakness != null) {
            log.warn("SWITCHBOARD_ADMIN_PASSWORD breaks the login password rules ({}): 'admin' must change it",
                    weakness);
        }
        Instant now = clock.instant();
        users.insert(new User(UUID.randomUUID(), Optional.empty(), "admin", Role.SYSTEM_ADMIN, null,
                hasher.hash(password), weakness != null, null, null, null, now, now));
        if (generated) {
            System.out.println();
            System.out.println("==============================================================");
            System.out.println(" Switchboard created the system administrator 'admin'.");
            System.out.println(" Its password, shown only this once: " + password);
            System.out.println("==============================================================");
            System.out.println();
        }
        log.info("system administrator 'admin' created ({})", generated ? "generated password printed on stdout"
                : "password from SWITCHBOARD_ADMIN_PASSWORD");
    }
}
