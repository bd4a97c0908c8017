package dev.switchboard.device.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.device.SettingsReaderTest;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.SipServerTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Outbound TLS verifies the upstream's certificate by default
 * ({@code switchboard.sip.tls-verify-peers=true}): an upstream with a self-signed certificate is
 * refused, nothing is sent to it, and the account is in ERROR. Registering to such an upstream
 * needs {@code switchboard.sip.tls-verify-peers=false} ({@link SipAccountAgentTest} does so).
 */
@SipServerTest
class TlsVerificationTest {

    static final String PASSWORD = "Passw0rd-One";

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    Api api;
    String token;
    TestRegistrar registrar;

    String admin;
    String tenantUuid;

    @BeforeEach
    void setUp() throws Exception {
        api = new Api(port);
        admin = api.signInAdmin();
        JsonNode t = api.createTenant(admin);
        tenantUuid = t.get("uuid").asString();
        api.createUser(admin, t.get("uuid").asString(), "boss", PASSWORD, "Admin");
        token = api.deviceToken(t.get("domain").asString(), "boss", PASSWORD);
        registrar = new TestRegistrar(dir, "auth-101", "s3cret!x");
    }

    @AfterEach
    void tearDown() {
        api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false));
        registrar.close();
    }

    @Test
    void selfSignedUpstreamIsRefusedWhileVerifying() throws Exception {
        api.post("/api/v1/device/sip/settings", token, SettingsReaderTest.with(
                "proxy", "sip:127.0.0.1:" + registrar.port(Transport.TLS), "realm", "example.test", "user", "101",
                "user_id", "auth-101", "password", "s3cret!x", "transport", "tls", "outbound", "",
                "registration_interval", 60, "stun.ip", "127.0.0.1", "stun.port", 9));
        SipAccountAgentTest.await(Duration.ofSeconds(10), () -> assertThat(
                api.get("/api/v1/sip/status", token).json().get("sip_status").asString()).isEqualTo("ERROR"));
        assertThatThrownBy(() -> registrar.next(2)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no REGISTER arrived");
        // The connection was made; what failed is the certificate, and the status says so.
        assertThat(api.get("/api/v2/tenants/" + tenantUuid + "/sip-accounts/1", admin).json().at("/status/reason")
                .asString()).startsWith("TLS handshake failed with 127.0.0.1:");
    }
}
