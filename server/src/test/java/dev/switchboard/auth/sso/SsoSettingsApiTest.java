package dev.switchboard.auth.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@SwitchboardTest
class SsoSettingsApiTest {

    static final String SECRET = "Entra-Client-Secret-77";

    @LocalServerPort
    int port;

    Api api;
    String admin;
    String tenant;
    String domain;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        admin = api.signInAdmin();
        var t = api.createTenant(admin);
        tenant = t.get("uuid").asString();
        domain = t.get("domain").asString();
    }

    @Test
    void setsReadsAndDeletesSettingsWithoutEverShowingTheSecret() {
        assertThat(api.get(path(tenant), admin).status()).isEqualTo(404);
        var put = api.put(path(tenant), admin, body());
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(put.json().get("issuer_uri").asString())
                .isEqualTo("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0");
        assertThat(put.json().get("entra_tenant_id").asString()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(put.json().get("client_secret_set").asBoolean()).isTrue();
        assertThat(put.text()).doesNotContain(SECRET);
        var get = api.get(path(tenant), admin);
        assertThat(get.text()).doesNotContain(SECRET).contains("https://app.example.com/cb");
        assertThat(api.get("/api/info?domain=" + domain, null).json().get("enable_ms365_integration").asBoolean())
                .isTrue();

        // An omitted secret keeps the stored one; issuer_uri overrides the Entra tenant id.
        Map<String, Object> change = body();
        change.remove("client_secret");
        change.put("issuer_uri", "https://idp.example.com/realms/x/");
        var kept = api.put(path(tenant), admin, change);
        assertThat(kept.status()).as(kept.text()).isEqualTo(200);
        assertThat(kept.json().get("client_secret_set").asBoolean()).isTrue();
        assertThat(kept.json().get("issuer_uri").asString()).isEqualTo("https://idp.example.com/realms/x/");

        assertThat(api.delete(path(tenant), admin).status()).isEqualTo(204);
        assertThat(api.get(path(tenant), admin).status()).isEqualTo(404);
        assertThat(api.delete(path(tenant), admin).status()).isEqualTo(404);
        assertThat(api.get("/api/info?domain=" + domain, null).json().get("enable_ms365_integration").asBoolean())
                .isFalse();
    }

    @Test
    void refusesInvalidSettings() {
        Map<String, Object> noSecret = body();
        noSecret.remove("client_secret");
        Map<String, Object> noIssuer = body();
        noIssuer.remove("entra_tenant_id");
        Map<String, Object> noPrefixes = body();
        noPrefixes.put("callback_url_prefixes", List.of());
        Map<String, Object> badPrefix = body();
        badPrefix.put("callback_url_prefixes", List.of("ftp://files.example.com/"));
        Map<String, Object> badIssuer = body();
        badIssuer.put("issuer_uri", "not a url");
        Map<String, Object> noClient = body();
        noClient.remove("client_id");
        Map<String, Object> badEntra = body();
        badEntra.put("entra_tenant_id", "../../evil");
        Map<String, Map<String, Object>> cases = Map.of("client_secret", noSecret, "entra_tenant_id", noIssuer,
                "callback_url_prefixes", noPrefixes, "issuer_uri", badIssuer, "client_id", noClient);
        cases.forEach((field, body) -> {
            var a = api.put(path(tenant), admin, body);
            assertThat(a.status()).as(field).isEqualTo(400);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.json().get("field").asString()).isEqualTo(field);
        });
        assertThat(api.put(path(tenant), admin, badPrefix).status()).isEqualTo(400);
        assertThat(api.put(path(tenant), admin, badEntra).status()).isEqualTo(400);
        assertThat(api.get(path(tenant), admin).status()).isEqualTo(404);
    }

    @Test
    void letsOnlyAdminsOfTheTenantOrTheSystemAdminIn() {
        api.createUser(admin, tenant, "boss", "Boss-Pass-1", "Admin");
        api.createUser(admin, tenant, "worker", "Work-Pass-1", "StandardUser");
        String boss = api.signIn(domain, "boss", "Boss-Pass-1");
        String worker = api.signIn(domain, "worker", "Work-Pass-1");
        assertThat(api.put(path(tenant), boss, body()).status()).isEqualTo(200);
        assertThat(api.get(path(tenant), boss).status()).isEqualTo(200);
        assertThat(api.get(path(tenant), worker).status()).isEqualTo(403);
        assertThat(api.put(path(tenant), worker, body()).status()).isEqualTo(403);

        var other = api.createTenant(admin);
        String otherUuid = other.get("uuid").asString();
        assertThat(api.put(path(otherUuid), admin, body()).status()).isEqualTo(200);
        assertThat(api.get(path(otherUuid), boss).status()).isEqualTo(404);
        assertThat(api.put(path(otherUuid), boss, body()).status()).isEqualTo(404);
        assertThat(api.delete(path(otherUuid), boss).status()).isEqualTo(404);
        assertThat(api.get(path(otherUuid), null).status()).isEqualTo(401);
        assertThat(api.get(path("00000000-0000-0000-0000-000000000001"), admin).status()).isEqualTo(404);
    }

    @Test
    void aTenantAdminMayNameOnlyMicrosoftsIssuerSinceTheServerFetchesIt() {
        api.createUser(admin, tenant, "chief", "Chief-Pass-1", "Admin");
        String chief = api.signIn(domain, "chief", "Chief-Pass-1");
        Map<String, Object> internal = body();
        internal.put("issuer_uri", "http://127.0.0.1:9/internal");
        var refused = api.put(path(tenant), chief, internal);
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.json().get("field").asString()).isEqualTo("issuer_uri");
        assertThat(api.get(path(tenant), admin).status()).as("nothing stored").isEqualTo(404);

        // Microsoft's own issuer, spelt out, is the tenant's to choose.
        Map<String, Object> entra = body();
        entra.put("issuer_uri", "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0");
        assertThat(api.put(path(tenant), chief, entra).status()).isEqualTo(200);
        // In other letters too (scheme and host are case-insensitive), kept as Entra spells it.
        entra.put("issuer_uri", "HTTPS://LOGIN.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0");
        var upper = api.put(path(tenant), chief, entra);
        assertThat(upper.status()).as(upper.text()).isEqualTo(200);
        assertThat(upper.json().get("issuer_uri").asString())
                .isEqualTo("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0");
        // An issuer the system administrator chose may be sent back unchanged (a GET, PUT round trip).
        Map<String, Object> chosen = body();
        chosen.put("issuer_uri", "https://idp.example.com/realms/x");
        assertThat(api.put(path(tenant), admin, chosen).status()).isEqualTo(200);
        var roundTrip = api.put(path(tenant), chief, chosen);
        assertThat(roundTrip.status()).as(roundTrip.text()).isEqualTo(200);
        chosen.put("issuer_uri", "https://idp.example.com/realms/y");
        assertThat(api.put(path(tenant), chief, chosen).status()).isEqualTo(403);
        assertThat(api.get(path(tenant), chief).json().get("issuer_uri").asString())
                .isEqualTo("https://idp.example.com/realms/x");
    }

    private static String path(String tenant) {
        return "/api/v2/tenants/" + tenant + "/sso/microsoft";
    }

    private static Map<String, Object> body() {
        Map<String, Object> body = new HashMap<>();
        body.put("entra_tenant_id", "11111111-2222-3333-4444-555555555555");
        body.put("client_id", "app-id");
        body.put("client_secret", SECRET);
        body.put("callback_url_prefixes", List.of("https://app.example.com/cb"));
        return body;
    }
}
