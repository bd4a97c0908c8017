package dev.switchboard.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
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
    }
}
