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

/** With SWITCHBOARD_ADMIN_PASSWORD set, the system administrator gets that password, and no log shows it. */
@SwitchboardTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "switchboard.admin-password=" + AdminBootstrapTest.CONFIGURED)
class AdminBootstrapTest {

    static final String CONFIGURED = "Configured-Secret-42";

    @LocalServerPort
    int port;

    @Test
    void theAdministratorSignsInWithTheConfiguredPasswordWhichNoLogShows(CapturedOutput output) {
        Api api = new Api(port);
        String token = api.signIn(null, "admin", CONFIGURED);
        var me = api.get("/api/auth/user", token);
        assertThat(me.json().get("role").asString()).isEqualTo("SystemAdmin");
        assertThat(api.post("/api/auth/sign_in", null, Map.of("username", "admin", "password", "Admin-Secret-1"))
                .status()).isEqualTo(401);

        // The capture saw the start-up (so the check below is not vacuous) and never the password.
        assertThat(output.getAll()).contains("system administrator 'admin' created")
                .doesNotContain(CONFIGURED)
                .doesNotContain("shown only this once");
    }
}
