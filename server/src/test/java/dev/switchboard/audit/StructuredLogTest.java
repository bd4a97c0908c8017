package dev.switchboard.audit;

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
 * SPEC 5's structured logs: with {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs} every line is a JSON
 * object, and an audit event carries its kind, tenant, subject and source as fields of their own,
 * never the password that failed.
 */
@SwitchboardTest
@ExtendWith(OutputCaptureExtension.class)
// The tests log through logback-test.xml; this context logs as the packaged server does.
@TestPropertySource(properties = {"logging.structured.format.console=ecs",
        "logging.config=classpath:logback-structured.xml"})
class StructuredLogTest {

    @LocalServerPort
    int port;

    @Test
    void anAuditEventIsAJsonLineWithItsContextAsFields(CapturedOutput output) {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        String domain = api.createTenant(admin).get("domain").asString();
        assertThat(api.trySignIn(domain, "nobody", "Wrong-Secret-77").status()).isEqualTo(401);

        String line = output.getOut().lines().filter(l -> l.contains("LOGIN_FAILED")).findFirst()
                .orElseThrow(() -> new AssertionError("no audit line in:\n" + output.getOut()));
        assertThat(line).startsWith("{").endsWith("}").contains("\"audit\":{\"kind\":\"LOGIN_FAILED\"}")
                .contains("\"subject\":\"nobody@" + domain + "\"").contains("\"source\":\"127.0.0.1\"")
                .doesNotContain("Wrong-Secret-77");
    }
}
