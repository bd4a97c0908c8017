package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.SwitchboardTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The lock time and the counting window of the login throttle are configurable: the right password
 * works once the lock is over, and failures older than the window are forgotten.
 */
@SwitchboardTest
@TestPropertySource(properties = {"switchboard.auth.throttle.lock-time=2s", "switchboard.auth.throttle.window=2s"})
class LockTimeTest {

    static final String PASSWORD = "Right-Pass-1";

    @LocalServerPort
    int port;

    @Test
    void forgetsFailuresOlderThanTheWindow() throws InterruptedException {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        String domain = tenant.get("domain").asString();
        api.createUser(admin, tenant.get("uuid").asString(), "dora", PASSWORD, "StandardUser");
        for (int i = 0; i < 4; i++) {
            assertThat(api.trySignIn(domain, "dora", "Wrong-Pass-9").status()).isEqualTo(401);
        }
        Thread.sleep(2_500);
        for (int i = 0; i < 4; i++) {
            assertThat(api.trySignIn(domain, "dora", "Wrong-Pass-9").status()).isEqualTo(401);
        }
        assertThat(api.trySignIn(domain, "dora", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void acceptsTheRightPasswordAgainOnceTheLockIsOver() {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        String domain = tenant.get("domain").asString();
        api.createUser(admin, tenant.get("uuid").asString(), "bella", PASSWORD, "StandardUser");
        for (int i = 0; i < 5; i++) {
            assertThat(api.trySignIn(domain, "bella", "Wrong-Pass-9").status()).isEqualTo(401);
        }
        assertThat(api.trySignIn(domain, "bella", PASSWORD).status()).isEqualTo(429);

        Eventually.within(Duration.ofSeconds(10), "the lock ends",
                () -> api.trySignIn(domain, "bella", PASSWORD).status() == 200);

        // The lock started a fresh count: four failures later the user is still not locked.
        for (int i = 0; i < 4; i++) {
            assertThat(api.trySignIn(domain, "bella", "Wrong-Pass-9").status()).isEqualTo(401);
        }
        assertThat(api.trySignIn(domain, "bella", PASSWORD).status()).isEqualTo(200);
    }
}
