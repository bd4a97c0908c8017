package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.support.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Twenty failed sign-ins from one source address, whatever users they name, lock that source:
 * every further attempt gets 429, even for another user with the right password. One test only,
 * because the lock holds for the rest of this context's life.
 */
@SwitchboardTest
@TestPropertySource(properties = "switchboard.auth.throttle.ip-failures=20")
class SourceLockTest {

    static final String PASSWORD = "Right-Pass-1";

    @LocalServerPort
    int port;

    @Test
    void locksTheSourceAfterTwentyFailuresSpreadOverUsers() {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        String domain = tenant.get("domain").asString();
        api.createUser(admin, tenant.get("uuid").asString(), "carl", PASSWORD, "StandardUser");

        for (int i = 0; i < 20; i++) {
            // At most 2 failures per name, so no user lock is involved; some without a domain.
            String d = i % 4 == 3 ? null : domain;
            var a = api.trySignIn(d, "probe" + (i / 2), "Wrong-Pass-" + i);
            assertThat(a.status()).as("failure %d", i + 1).isEqualTo(401);
        }

        var tenantUser = api.trySignIn(domain, "carl", PASSWORD);
        assertThat(tenantUser.status()).isEqualTo(429);
        assertThat(tenantUser.contentType()).startsWith("application/problem+json");
        assertThat(tenantUser.json().get("detail").asString()).isNotBlank();
        assertThat(api.trySignIn(null, "admin", TestDatabase.ADMIN_PASSWORD).status()).isEqualTo(429);
        assertThat(api.post("/api/login", null, Api.credentials(domain, "carl", PASSWORD)).status()).isEqualTo(429);
        var spoofed = api.sendWithHeaders("POST", "/api/auth/sign_in",
                Api.credentials(domain, "carl", PASSWORD), "application/json",
                Map.of("X-Forwarded-For", "198.51.100.7", "X-Real-IP", "198.51.100.7"));
        assertThat(spoofed.status()).isEqualTo(429);

        // Tokens issued before the lock keep working; the lock is in the audit log.
        var events = api.auditEvents(admin, "");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("kind").asString()).isEqualTo("LOGIN_LOCKED");
            assertThat(e.get("subject").asString()).contains("127.0.0.1");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("kind").asString()).isEqualTo("LOGIN_REFUSED_LOCKED");
            assertThat(e.get("subject").asString()).startsWith("carl@");
        });
        assertThat(events.stream().filter(e -> e.get("kind").asString().equals("LOGIN_FAILED")).count())
                .isEqualTo(20);
    }
}
