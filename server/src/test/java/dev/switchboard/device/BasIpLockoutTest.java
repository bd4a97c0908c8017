package dev.switchboard.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.SecureTokens;
import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The BAS-IP login under the login throttle: a locked user is answered 429 in the device error shape. */
@SwitchboardTest
@TestPropertySource(properties = {"switchboard.auth.throttle.user-failures=2",
    "switchboard.auth.throttle.ip-failures=1000"})
class BasIpLockoutTest {

    @LocalServerPort
    int port;

    @Test
    void lockedUserGets429WithAnErrorBody() {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode t = api.createTenant(admin);
        api.createUser(admin, t.get("uuid").asString(), "locky", "Passw0rd-One", "Admin");
        String login = "/api/v1/login?username=locky@" + t.get("domain").asString() + "&password=";
        assertThat(api.get(login + SecureTokens.md5Hex("wrong-1"), null).status()).isEqualTo(400);
        assertThat(api.get(login + SecureTokens.md5Hex("wrong-2"), null).status()).isEqualTo(400);
        Api.Answer locked = api.get(login + SecureTokens.md5Hex("Passw0rd-One"), null);
        assertThat(locked.status()).as(locked.text()).isEqualTo(429);
        assertThat(locked.json().get("error").asString()).isNotBlank();
        assertThat(locked.json().size()).isEqualTo(1);
    }
}
