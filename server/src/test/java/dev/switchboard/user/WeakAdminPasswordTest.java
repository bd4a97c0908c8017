package dev.switchboard.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A SWITCHBOARD_ADMIN_PASSWORD below the login password rules still lets the operator in (it is
 * the only way in), but the administrator is flagged to change it and the log says why, without it.
 */
@SwitchboardTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "switchboard.admin-password=" + WeakAdminPasswordTest.WEAK)
class WeakAdminPasswordTest {

    static final String WEAK = "letmein";

    @LocalServerPort
    int port;

    @Test
    void theAdministratorIsFlaggedToChangeAWeakConfiguredPassword(CapturedOutput output) {
        Api api = new Api(port);
        String token = api.signIn(null, "admin", WEAK);
        var me = api.get("/api/auth/user", token);
        assertThat(me.json().get("role").asString()).isEqualTo("SystemAdmin");
        assertThat(me.json().get("password_force_reset").asBoolean()).isTrue();
        assertThat(output.getAll()).contains("SWITCHBOARD_ADMIN_PASSWORD breaks the login password rules")
                .doesNotContain(WEAK);

        // The way out: the administrator changes its own password, proving the current one.
        var wrong = api.post("/api/v2/me/password", token, Map.of("current_password", "not-it",
                "new_password", "Strong-Admin-Pass-1"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("field").asString()).isEqualTo("current_password");
        var weak = api.post("/api/v2/me/password", token, Map.of("current_password", WEAK, "new_password", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().get("field").asString()).isEqualTo("new_password");
        assertThat(api.post("/api/v2/me/password", token, Map.of("current_password", WEAK,
                "new_password", "Strong-Admin-Pass-1")).status()).isEqualTo(204);
        assertThat(api.get("/api/auth/user", token).status()).as("every session ends").isEqualTo(401);
        assertThat(api.trySignIn(null, "admin", WEAK).status()).isEqualTo(401);
        String fresh = api.signIn(null, "admin", "Strong-Admin-Pass-1");
        assertThat(api.get("/api/auth/user", fresh).json().get("password_force_reset").asBoolean()).isFalse();
    }
}
