package dev.switchboard.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.SwitchboardApplication;
import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

/** Without SWITCHBOARD_ADMIN_PASSWORD, the first start generates a password and prints it once, on stdout only. */
@SwitchboardTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "switchboard.admin-password=")
class GeneratedAdminPasswordTest {

    static final Pattern PRINTED = Pattern.compile("Its password, shown only this once: (\\S+)");

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Test
    void printsAGeneratedPasswordOnceAndItSignsIn(CapturedOutput output) {
        Matcher printed = PRINTED.matcher(output.getOut());
        assertThat(printed.find()).as("generated password printed on stdout").isTrue();
        String password = printed.group(1);
        assertThat(password.length()).isGreaterThanOrEqualTo(16);
        assertThat(printed.find()).as("printed only once").isFalse();
        assertThat(output.getErr()).doesNotContain(password);
        // Only the one stdout notice holds the password; no log line does.
        assertThat(output.getAll().split(Pattern.quote(password), -1)).hasSize(2);

        Api api = new Api(port);
        String token = api.signIn(null, "admin", password);
        assertThat(api.get("/api/auth/user", token).json().get("role").asString()).isEqualTo("SystemAdmin");

        // A second start on the same database finds the administrator and prints nothing.
        int before = output.getAll().length();
        try (var second = new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0",
                // SIP on free loopback ports too, like every test context: 5060 may be taken.
                "--switchboard.sip.host=127.0.0.1", "--switchboard.sip.port=0", "--switchboard.sip.tls-port=0",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                "--switchboard.data-dir=" + environment.getProperty("switchboard.data-dir"),
                "--switchboard.admin-password=")) {
            String secondStart = output.getAll().substring(before);
            assertThat(secondStart).contains("Started").doesNotContain("shown only this once")
                    .doesNotContain("created the system administrator").doesNotContain(password);
        }
        assertThat(api.signIn(null, "admin", password)).isNotBlank();
    }
}
