package dev.switchboard.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The native SIP account slots of a tenant: rules as on the device surface, RFC 9457 errors, tenant isolation. */
@SwitchboardTest
class SipAccountApiTest {

    static final String PASSWORD = "Passw0rd-One";

    @LocalServerPort
    int port;

    Api api;
    String admin;
    String tenant;
    String domain;
    String slot1;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        admin = api.signInAdmin();
        JsonNode t = api.createTenant(admin);
        tenant = t.get("uuid").asString();
        domain = t.get("domain").asString();
        slot1 = "/api/v2/tenants/" + tenant + "/sip-accounts/1";
    }

    static void assertProblem(Api.Answer a, int status, String field) {
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/problem+json");
        if (field != null) {
            assertThat(a.json().get("field").asString()).isEqualTo(field);
        }
    }

    @Test
    void putThenGetShowsSettingsStatusAndNoPassword() {
        assertProblem(api.get(slot1, admin), 404, null);
        Api.Answer put = api.put(slot1, admin, SettingsReaderTest.with("enabled", false));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        JsonNode a = api.get(slot1, admin).json();
        assertThat(a.get("slot").asInt()).isEqualTo(1);
        assertThat(a.get("proxy").asString()).isEqualTo("sip:sip.bas-ip.com");
        assertThat(a.get("user_id").asString()).isEqualTo("user126");
        assertThat(a.get("stun").get("port").asInt()).isEqualTo(19302);
        assertThat(a.get("enabled").asBoolean()).isFalse();
        assertThat(a.get("password_set").asBoolean()).isTrue();
        assertThat(a.has("password")).isFalse();
        assertThat(a.toString()).doesNotContain("123ab6");
        assertThat(a.get("status").get("state").asString()).isEqualTo("OFFLINE");
        assertThat(a.get("status").has("last_status_code")).isTrue();
    }

    @Test
    void refusesBrokenSettingsAsProblems() {
        assertProblem(api.put(slot1, admin, SettingsReaderTest.with("stun.port", 0)), 400, "stun.port");
        assertProblem(api.put(slot1, admin, SettingsReaderTest.with("realm", null)), 400, "realm");
        assertProblem(api.put(slot1, admin, SettingsReaderTest.with("user", 7)), 400, "user");
        assertProblem(api.put(slot1, admin, SettingsReaderTest.with("enabled", "yes")), 400, "enabled");
        assertProblem(api.send("PUT", slot1, admin, "nope", "application/json"), 400, null);
    }

    @Test
    void aBodySentAsAnotherTypeThanJsonIs415AndStoresNothing() {
        String json = "{\"proxy\":\"sip:other.example.com\",\"realm\":\"other.example.com\",\"user\":\"7\","
                + "\"password\":\"secret77\",\"stun\":{\"ip\":\"stun.example.com\",\"port\":3478}}";
        for (String type : new String[] {"text/plain", "application/xml", "application/x-www-form-urlencoded"}) {
            assertProblem(api.send("PUT", slot1, admin, json, type), 415, null);
        }
        assertThat(api.get(slot1, admin).text()).doesNotContain("other.example.com");
        assertThat(api.send("PUT", slot1, admin, json, "application/json; charset=utf-8").status()).isEqualTo(200);
    }

    @Test
    void slotsOneAndTwoOnly() {
        assertThat(api.put("/api/v2/tenants/" + tenant + "/sip-accounts/2", admin, SettingsReaderTest.valid())
                .status()).isEqualTo(200);
        assertProblem(api.put("/api/v2/tenants/" + tenant + "/sip-accounts/3", admin, SettingsReaderTest.valid()),
                404, null);
        assertProblem(api.get("/api/v2/tenants/" + tenant + "/sip-accounts/0", admin), 404, null);
    }

    @Test
    void deleteForgetsTheSlot() {
        api.put(slot1, admin, SettingsReaderTest.valid());
        assertThat(api.delete(slot1, admin).status()).isEqualTo(204);
        assertProblem(api.get(slot1, admin), 404, null);
        assertProblem(api.delete(slot1, admin), 404, null);
    }

    @Test
    void otherTenantsAndStandardUsersAreKeptOut() {
        api.put(slot1, admin, SettingsReaderTest.valid());
        JsonNode other = api.createTenant(admin);
        api.createUser(admin, other.get("uuid").asString(), "otheradmin", PASSWORD, "Admin");
        String otherToken = api.signIn(other.get("domain").asString(), "otheradmin", PASSWORD);
        assertProblem(api.get(slot1, otherToken), 404, null);
        assertProblem(api.put(slot1, otherToken, SettingsReaderTest.valid()), 404, null);
        assertProblem(api.delete(slot1, otherToken), 404, null);

        api.createUser(admin, tenant, "boss", PASSWORD, "Admin");
        api.createUser(admin, tenant, "worker", PASSWORD, "StandardUser");
        String boss = api.signIn(domain, "boss", PASSWORD);
        assertThat(api.get(slot1, boss).status()).isEqualTo(200);
        assertProblem(api.get(slot1, api.signIn(domain, "worker", PASSWORD)), 403, null);
        assertProblem(api.get(slot1, null), 401, null);
    }

    @org.springframework.beans.factory.annotation.Autowired
    SipAccountRepository repository;

    @Test
    void webPassKeepsThePasswordHere() {
        api.put(slot1, admin, SettingsReaderTest.valid());
        assertThat(api.put(slot1, admin, SettingsReaderTest.with("password", "WebPass")).status()).isEqualTo(200);
        var id = new AccountId(java.util.Optional.of(java.util.UUID.fromString(tenant)), 1);
        assertThat(repository.find(id).orElseThrow().settings().orElseThrow().password()).isEqualTo("123ab6");
    }
}
