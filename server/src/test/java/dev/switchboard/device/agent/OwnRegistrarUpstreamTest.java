package dev.switchboard.device.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.device.SettingsReaderTest;
import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Switchboard's own registrar as the upstream of a device SIP account: tenant A's account
 * registers as a user of tenant B on the same server, with the digest challenge of B's realm,
 * and shows up among B's bindings until it is disabled.
 */
@SwitchboardTest
class OwnRegistrarUpstreamTest {

    static final String PASSWORD = "Passw0rd-One";
    static final String SIP_PASSWORD = "b-sip-secret-201";

    @LocalServerPort
    int port;

    @Autowired
    SipEngine engine;

    @Test
    void registersTenantAsAccountAsAUserOfTenantB() {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode a = api.createTenant(admin);
        JsonNode b = api.createTenant(admin);
        api.createUser(admin, a.get("uuid").asString(), "boss", PASSWORD, "Admin");
        var created = api.post("/api/v2/tenants/" + b.get("uuid").asString() + "/users", admin,
                Map.of("username", "door", "password", PASSWORD, "role", "StandardUser", "extension", "201",
                        "sip_password", SIP_PASSWORD));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String bindings = "/api/v2/tenants/" + b.get("uuid").asString() + "/users/"
                + created.json().get("uuid").asString() + "/bindings";
        String token = api.deviceToken(a.get("domain").asString(), "boss", PASSWORD);

        int sipPort = engine.localAddress(Transport.UDP).orElseThrow().getPort();
        var settings = SettingsReaderTest.with("proxy", "sip:127.0.0.1:" + sipPort,
                "realm", b.get("domain").asString(), "user", "201", "user_id", "", "password", SIP_PASSWORD,
                "transport", "udp", "outbound", "", "registration_interval", 60,
                "stun.ip", "127.0.0.1", "stun.port", 9);
        assertThat(api.post("/api/v1/device/sip/settings", token, settings).status()).isEqualTo(200);

        SipAccountAgentTest.await(Duration.ofSeconds(15), () -> assertThat(
                api.get("/api/v1/sip/status", token).json().get("sip_status").asString()).isEqualTo("OK"));
        JsonNode items = api.get(bindings, admin).json().get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("aor").asString()).isEqualTo("201@" + b.get("domain").asString().toLowerCase());
        assertThat(items.get(0).get("contact").asString()).contains("127.0.0.1:" + sipPort);

        assertThat(api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false)).status())
                .isEqualTo(200);
        SipAccountAgentTest.await(Duration.ofSeconds(10), () -> assertThat(
                api.get(bindings, admin).json().get("items")).isEmpty());
        assertThat(api.get("/api/v1/sip/status", token).json().get("sip_status").asString()).isEqualTo("OFFLINE");
    }
}
