package dev.switchboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** PortSIP-compatible {@code GET /api/info?domain=} (SPEC 3.1): public facts of a tenant, no token needed. */
@SwitchboardTest
class TenantInfoTest {

    @LocalServerPort
    int port;

    Api api;
    String admin;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        admin = api.signInAdmin();
    }

    @Test
    void answersThePublicFactsOfATenantWithoutAToken() {
        var created = api.post("/api/v2/tenants", admin,
                Map.of("name", "Info Corp", "domain", "Info.Example.org", "website", "https://info.example.org"));
        assertThat(created.status()).isEqualTo(201);

        for (String asked : new String[] {"Info.Example.org", "info.example.org", "INFO.EXAMPLE.ORG"}) {
            var a = api.get("/api/info?domain=" + asked, null);
            assertThat(a.status()).as(asked).isEqualTo(200);
            assertThat(a.contentType()).startsWith("application/json");
            assertThat(a.json().get("name").asString()).isEqualTo("Info Corp");
            assertThat(a.json().get("domain").asString()).isEqualTo("Info.Example.org");
            assertThat(a.json().get("website").asString()).isEqualTo("https://info.example.org");
            assertThat(a.json().get("enable_ms365_integration").isBoolean()).isTrue();
            assertThat(a.json().get("enable_ms365_integration").asBoolean()).isFalse();
            assertThat(a.json().has("uuid")).isFalse();
        }
    }

    @Test
    void answersEvenWithAnInvalidToken() {
        String domain = api.createTenant(admin).get("domain").asString();
        assertThat(api.get("/api/info?domain=" + domain, "garbage").status()).isEqualTo(200);
    }

    @Test
    void answers404ForAnUnknownOrDisabledDomain() {
        var unknown = api.get("/api/info?domain=nothing-here.example.net", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().get("detail").asString()).isNotBlank();

        var tenant = api.createTenant(admin);
        api.put("/api/v2/tenants/" + tenant.get("uuid").asString(), admin, Map.of("enabled", false));
        var disabled = api.get("/api/info?domain=" + tenant.get("domain").asString(), null);
        assertThat(disabled.status()).isEqualTo(404);
        assertThat(disabled.text()).isEqualTo(unknown.text());
    }

    @Test
    void answers400WithoutADomain() {
        for (String path : new String[] {"/api/info", "/api/info?domain=", "/api/info?domain=%20"}) {
            var a = api.get(path, null);
            assertThat(a.status()).as(path).isEqualTo(400);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.json().get("detail").asString()).contains("domain");
        }
    }
}
