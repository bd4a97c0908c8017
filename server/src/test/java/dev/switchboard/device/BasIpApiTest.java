package dev.switchboard.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.SecureTokens;
import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.support.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The BAS-IP device API over real HTTP: login, logout, settings, status, enable, and its error shapes. */
@SwitchboardTest
class BasIpApiTest {

    static final String PASSWORD = "Passw0rd-One";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;
    String admin;
    String tenant;
    String domain;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        admin = api.signInAdmin();
        JsonNode t = api.createTenant(admin);
        tenant = t.get("uuid").asString();
        domain = t.get("domain").asString();
        api.createUser(admin, tenant, "boss", PASSWORD, "Admin");
        api.createUser(admin, tenant, "worker", PASSWORD, "StandardUser");
    }

    Api.Answer login(String username, String password) {
        StringBuilder q = new StringBuilder("/api/v1/login");
        String sep = "?";
        if (username != null) {
            q.append(sep).append("username=").append(URLEncoder.encode(username, StandardCharsets.UTF_8));
            sep = "&";
        }
        if (password != null) {
            q.append(sep).append("password=").append(URLEncoder.encode(password, StandardCharsets.UTF_8));
        }
        return api.get(q.toString(), null);
    }

    String deviceToken(String username, String password) {
        Api.Answer a = login(username, SecureTokens.md5Hex(password));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        return a.json().get("token").asString();
    }

    static void assertError(Api.Answer a, int status, String error) {
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(a.json().size()).isEqualTo(1);
        assertThat(a.json().get("error").asString()).isEqualTo(error);
    }

    @Test
    void tenantAdminLogsInWithMd5InEitherCase() {
        String md5 = SecureTokens.md5Hex(PASSWORD);
        for (String proof : new String[] {md5.toLowerCase(Locale.ROOT), md5.toUpperCase(Locale.ROOT)}) {
            Api.Answer a = login("boss@" + domain, proof);
            assertThat(a.status()).as(a.text()).isEqualTo(200);
            assertThat(a.json().get("token").asString()).matches("[0-9a-f]{40}");
            assertThat(a.json().get("account_type").asString()).isEqualTo("admin");
            assertThat(a.json().size()).isEqualTo(2);
        }
    }

    @Test
    void systemAdminIsAdminAndStandardUserIsUser() {
        Api.Answer sys = login("admin", SecureTokens.md5Hex(TestDatabase.ADMIN_PASSWORD));
        assertThat(sys.status()).as(sys.text()).isEqualTo(200);
        assertThat(sys.json().get("account_type").asString()).isEqualTo("admin");
        Api.Answer user = login("worker@" + domain, SecureTokens.md5Hex(PASSWORD));
        assertThat(user.json().get("account_type").asString()).isEqualTo("user");
    }

    @Test
    void refusesWrongCredentials() {
        assertError(login("boss@" + domain, SecureTokens.md5Hex("wrong")), 400, "Wrong login or password");
        assertError(login("boss@" + domain, PASSWORD), 400, "Wrong login or password");
        assertError(login("nobody@" + domain, SecureTokens.md5Hex(PASSWORD)), 400, "Wrong login or password");
        assertError(login("boss@unknown.example.org", SecureTokens.md5Hex(PASSWORD)), 400, "Wrong login or password");
        assertError(login("boss", SecureTokens.md5Hex(PASSWORD)), 400, "Wrong login or password");
    }

    @Test
    void anUnknownPathOrMethodIsAnsweredInTheDeviceShape() {
        String token = deviceToken("boss@" + domain, PASSWORD);
        Api.Answer missing = api.get("/api/v1/device/sip/nothing", token);
        assertError(missing, 404, "Not Found");
        // An empty Allow would say no method is allowed at all: a 404 has none.
        assertThat(missing.header("Allow")).isNull();
        Api.Answer put = api.send("PUT", "/api/v1/device/sip/settings", token, "{}", "application/json");
        assertError(put, 405, "Method Not Allowed");
        assertThat(put.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void refusesMissingParameters() {
        assertError(login(null, null), 400, "Required parameters missed");
        assertError(login("boss@" + domain, null), 400, "Required parameters missed");
        assertError(login(null, SecureTokens.md5Hex(PASSWORD)), 400, "Required parameters missed");
        assertError(login("", SecureTokens.md5Hex(PASSWORD)), 400, "Required parameters missed");
        assertError(login("boss@" + domain, ""), 400, "Required parameters missed");
    }

    @Test
    void answersLogInWithoutAValidToken() {
        for (String path : new String[] {"/api/v1/device/sip/settings", "/api/v1/sip/status", "/api/v1/logout"}) {
            assertError(api.get(path, null), 401, "Log In");
            assertError(api.get(path, "0123456789abcdef0123456789abcdef01234567"), 401, "Log In");
        }
        assertError(api.post("/api/v1/device/sip/settings", null, SettingsReaderTest.valid()), 401, "Log In");
        assertError(api.post("/api/v1/device/sip/enable", "nope", Map.of("sip_enable", true)), 401, "Log In");
    }

    @Test
    void logoutRevokesTheToken() {
        String token = deviceToken("boss@" + domain, PASSWORD);
        assertThat(api.get("/api/v1/sip/status", token).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/logout", token).status()).isEqualTo(200);
        assertError(api.get("/api/v1/sip/status", token), 401, "Log In");
        assertError(api.get("/api/v1/device/sip/settings", token), 401, "Log In");
    }

    @Test
    void expiredTokenIsRefused() {
        String token = deviceToken("boss@" + domain, PASSWORD);
        jdbc.sql("UPDATE auth_token SET expires_at = ? WHERE token_hash = ?")
                .params(java.time.OffsetDateTime.now().minusSeconds(5), SecureTokens.sha256Hex(token)).update();
        assertError(api.get("/api/v1/sip/status", token), 401, "Log In");
    }

    @Test
    void settingsBeforeAnythingIsStoredShowDefaults() {
        String token = deviceToken("boss@" + domain, PASSWORD);
        Api.Answer a = api.get("/api/v1/device/sip/settings", token);
        assertThat(a.status()).isEqualTo(200);
        JsonNode s = a.json();
        assertThat(s.get("transport").asString()).isEqualTo("udp");
        assertThat(s.get("registration_interval").asInt()).isEqualTo(300);
        assertThat(s.get("password").asString()).isEmpty();
        assertThat(s.get("stun").isObject()).isTrue();
        Api.Answer status = api.get("/api/v1/sip/status", token);
        assertThat(status.json().get("sip_status").asString()).isEqualTo("OFFLINE");
        assertThat(status.json().get("register_last_attempt").isNull()).isTrue();
    }

    @Test
    void postedSettingsReadBackWithThePasswordHidden() {
        String token = deviceToken("boss@" + domain, PASSWORD);
        Api.Answer post = api.post("/api/v1/device/sip/settings", token, SettingsReaderTest.valid());
        assertThat(post.status()).as(post.text()).isEqualTo(200);
        assertThat(post.text()).isEmpty();
        JsonNode s = api.get("/api/v1/device/sip/settings", token).json();
        assertThat(s.get("proxy").asString()).isEqualTo("sip:sip.bas-ip.com");
        assertThat(s.get("realm").asString()).isEqualTo("sip.bas-ip.com");
        assertThat(s.get("user").asString()).isEqualTo("101");
        assertThat(s.get("password").asString()).isEqualTo("WebPass");
        assertThat(s.get("transport").asString()).isEqualTo("udp");
        assertThat(s.get("user_id").asString()).isEqualTo("user126");
        assertThat(s.get("registration_interval").asInt()).isEqualTo(30);
        assertThat(s.get("outbound").asString()).isEqualTo("sip.bas-ip.com");
        assertThat(s.get("stun").get("ip").asString()).isEqualTo("stun.l.google.com");
        assertThat(s.get("stun").get("port").asInt()).isEqualTo(19302);
        // the password is stored sealed, never in clear
        String sealed = jdbc.sql("SELECT password_enc FROM sip_account WHERE scope = ?").param(tenant)
                .query(String.class).single();
        assertThat(sealed).doesNotContain("123ab6");
    }

    @Test
    void aJsonBodyIsReadAsJsonWhateverTypeTheDeviceDeclares() throws Exception {
        String token = deviceToken("boss@" + domain, PASSWORD);
        String json = Api.JSON.writeValueAsString(SettingsReaderTest.with("user", "form1"));
        // curl -d declares a form; some devices multipart or a wildcard.
        for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "*/*", "text/*", "text/plain"}) {
            Api.Answer post = api.send("POST", "/api/v1/device/sip/settings", token, json, type);
            assertThat(post.status()).as(type + ": " + post.text()).isEqualTo(200);
        }
        assertThat(api.get("/api/v1/device/sip/settings", token).json().get("user").asString()).isEqualTo("form1");
        assertError(api.send("POST", "/api/v1/device/sip/settings", token, "proxy=sip:x", "application/x-www-form-urlencoded"),
                400, "Wrong JSON body");
        assertThat(api.send("POST", "/api/v1/device/sip/enable", token, "{\"sip_enable\":false}",
                "application/x-www-form-urlencoded").status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT enabled FROM sip_account WHERE scope = ?").param(tenant).query(Boolean.class)
                .single()).isFalse();
    }

    @Autowired
    SipAccountRepository repository;

    @Test
    void webPassRoundTripKeepsTheStoredPassword() {
        String token = deviceToken("boss@" + domain, PASSWORD);
        api.post("/api/v1/device/sip/settings", token, SettingsReaderTest.valid());
        JsonNode read = api.get("/api/v1/device/sip/settings", token).json();
        Api.Answer again = api.post("/api/v1/device/sip/settings", token, read);
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        var id = AccountId.first(java.util.Optional.of(java.util.UUID.fromString(tenant)));
        assertThat(repository.find(id).orElseThrow().settings().orElseThrow().password()).isEqualTo("123ab6");
        api.post("/api/v1/device/sip/settings", token, SettingsReaderTest.with("password", "newpass1"));
        assertThat(repository.find(id).orElseThrow().settings().orElseThrow().password()).isEqualTo("newpass1");
    }

    @Test
    void refusalsUseTheBasIpTexts() {
        String token = deviceToken("boss@" + domain, PASSWORD);
        String path = "/api/v1/device/sip/settings";
        assertError(api.send("POST", path, token, null, null), 400, "Wrong JSON body");
        assertError(api.send("POST", path, token, "not json", "application/json"), 400, "Wrong JSON body");
        assertError(api.send("POST", path, token, "[1]", "application/json"), 400, "Wrong JSON body");
        assertError(api.send("POST", path, token, "{\"user\":\"a\",\"user\":\"b\"}", "application/json"), 400,
                "Wrong JSON body");
        assertError(api.post(path, token, SettingsReaderTest.with("proxy", SettingsReaderTest.ABSENT)), 400,
                "Wrong JSON body: no value for `proxy`");
        assertError(api.post(path, token, SettingsReaderTest.with("stun.ip", null)), 400,
                "Wrong JSON body: no value for `stun.ip`");
        assertError(api.post(path, token, SettingsReaderTest.with("registration_interval", "300")), 400,
                "Wrong JSON body: value `registration_interval` was of the wrong type");
        assertError(api.post(path, token, SettingsReaderTest.with("registration_interval", 30.5)), 400,
                "Wrong JSON body: value `registration_interval` was of the wrong type");
        assertError(api.post(path, token, SettingsReaderTest.with("stun.port", 65536)), 400,
                "Wrong JSON body: value `stun.port` is not valid");
        assertError(api.post(path, token, SettingsReaderTest.with("proxy", "sip.bas-ip.com")), 400,
                "Wrong JSON body: value `proxy` is not valid");
        // a refused body changes nothing
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sip_account WHERE scope = ?").param(tenant).query(Integer.class)
                .single()).isZero();
    }

    @Test
    void enableValidatesItsBodyAndIsStored() {
        String token = deviceToken("boss@" + domain, PASSWORD);
        String path = "/api/v1/device/sip/enable";
        assertError(api.send("POST", path, token, "x", "application/json"), 400, "Wrong JSON body");
        assertError(api.post(path, token, Map.of()), 400, "Wrong JSON body: no value for `sip_enable`");
        assertError(api.post(path, token, Map.of("sip_enable", "true")), 400,
                "Wrong JSON body: value `sip_enable` was of the wrong type");
        Api.Answer off = api.post(path, token, Map.of("sip_enable", false));
        assertThat(off.status()).as(off.text()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT enabled FROM sip_account WHERE scope = ?").param(tenant).query(Boolean.class)
                .single()).isFalse();
        // settings posted while disabled are stored, and the account stays disabled and offline
        assertThat(api.post("/api/v1/device/sip/settings", token, SettingsReaderTest.valid()).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/sip/status", token).json().get("sip_status").asString()).isEqualTo("OFFLINE");
        assertThat(api.post(path, token, Map.of("sip_enable", true)).status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT enabled FROM sip_account WHERE scope = ?").param(tenant).query(Boolean.class)
                .single()).isTrue();
    }

    @Test
    void standardUserReadsButCannotChange() {
        String token = deviceToken("worker@" + domain, PASSWORD);
        assertThat(api.get("/api/v1/device/sip/settings", token).status()).isEqualTo(200);
        assertError(api.post("/api/v1/device/sip/settings", token, SettingsReaderTest.valid()), 403, "Access denied");
        assertError(api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false)), 403, "Access denied");
    }

    @Test
    void systemAdminAddressesTheSystemAgentAndTenantsAreApart() {
        String sys = deviceToken("admin", TestDatabase.ADMIN_PASSWORD);
        String boss = deviceToken("boss@" + domain, PASSWORD);
        assertThat(api.post("/api/v1/device/sip/settings", sys, SettingsReaderTest.with("user", "sysuser")).status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/device/sip/settings", sys).json().get("user").asString()).isEqualTo("sysuser");
        assertThat(api.get("/api/v1/device/sip/settings", boss).json().get("user").asString()).isEmpty();
        jdbc.sql("DELETE FROM sip_account WHERE scope = 'system'").update();
    }

    @Test
    void accessTokensOfTheNativeSurfaceWorkToo() {
        String token = api.signIn(domain, "boss", PASSWORD);
        assertThat(api.get("/api/v1/sip/status", token).status()).isEqualTo(200);
    }
}
