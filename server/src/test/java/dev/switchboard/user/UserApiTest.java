package dev.switchboard.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.SecureTokens;
import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The native users API of a tenant: create, read, list, update, delete, and every rule at its edge. */
@SwitchboardTest
class UserApiTest {

    static final String PASSWORD = "Passw0rd-One";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;
    String admin;
    String tenant;
    String domain;
    String users;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        admin = api.signInAdmin();
        JsonNode t = api.createTenant(admin);
        tenant = t.get("uuid").asString();
        domain = t.get("domain").asString();
        users = "/api/v2/tenants/" + tenant + "/users";
    }

    static Map<String, Object> user(String username) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", PASSWORD);
        body.put("role", "StandardUser");
        return body;
    }

    static Map<String, Object> with(Map<String, Object> body, Object... pairs) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        for (int i = 0; i < pairs.length; i += 2) {
            copy.put((String) pairs[i], pairs[i + 1]);
        }
        return copy;
    }

    /** The usernames of the tenant, read page by page. */
    Set<String> usernames() {
        Set<String> names = new HashSet<>();
        String after = null;
        do {
            var a = api.get(users + "?limit=500" + (after == null ? "" : "&after=" + after), admin);
            assertThat(a.status()).isEqualTo(200);
            a.json().get("items").forEach(u -> names.add(u.get("username").asString()));
            after = a.json().get("next").isNull() ? null : a.json().get("next").asString();
        } while (after != null);
        return names;
    }

    static void assertProblem(Api.Answer a, int status, String field) {
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/problem+json");
        JsonNode p = a.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(p.get("field").asString()).as(a.text()).isEqualTo(field);
        }
    }

    /** No field of a user answer carries a secret: no password, no SIP password, no hash or digest. */
    static void assertNoSecrets(Api.Answer a, String... secrets) {
        String text = a.text();
        for (String secret : secrets) {
            assertThat(text).doesNotContain(secret);
        }
        assertThat(text).doesNotContain("\"password\"", "\"sip_password\"", "hash", "ha1", "$2a$", "$2b$", "$2y$");
    }

    @Test
    void createsAUserAndNeverShowsItsSecrets() {
        String sipPassword = "Sip-Secret-123";
        var created = api.post(users, admin, with(user("alice"), "role", "Admin", "email", "alice@example.com",
                "extension", "101", "sip_password", sipPassword));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/json");
        JsonNode u = created.json();
        assertThat(u.get("uuid").asString()).matches("[0-9a-f-]{36}");
        assertThat(created.header("Location")).isEqualTo(users + "/" + u.get("uuid").asString());
        assertThat(u.get("tenant_uuid").asString()).isEqualTo(tenant);
        assertThat(u.get("username").asString()).isEqualTo("alice");
        assertThat(u.get("role").asString()).isEqualTo("Admin");
        assertThat(u.get("email").asString()).isEqualTo("alice@example.com");
        assertThat(u.get("extension").asString()).isEqualTo("101");
        assertThat(u.get("sip_password_set").asBoolean()).isTrue();
        assertThat(u.has("created_at")).isTrue();
        assertThat(u.has("updated_at")).isTrue();
        SipCredentials digests = SipCredentials.derive("101", domain, sipPassword);
        String[] secrets = {PASSWORD, sipPassword, SecureTokens.md5Hex(PASSWORD), digests.ha1Md5(),
                digests.ha1Sha256()};
        assertNoSecrets(created, secrets);

        var read = api.get(users + "/" + u.get("uuid").asString(), admin);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(u);
        assertNoSecrets(read, secrets);
        assertNoSecrets(api.get(users, admin), secrets);

        // The stored SIP credentials are the digests, never the password itself.
        var row = jdbc.sql("SELECT sip_ha1_md5, sip_ha1_sha256, password_hash FROM app_user WHERE id = ?")
                .param(java.util.UUID.fromString(u.get("uuid").asString())).query().singleRow();
        assertThat(row.get("sip_ha1_md5")).isEqualTo(digests.ha1Md5());
        assertThat(row.get("sip_ha1_sha256")).isEqualTo(digests.ha1Sha256());
        assertThat((String) row.get("password_hash")).doesNotContain(PASSWORD).startsWith("$2");

        // The new user signs in with its tenant domain.
        assertThat(api.signIn(domain, "alice", PASSWORD)).isNotBlank();
        assertThat(api.signIn(domain.toUpperCase(), "ALICE", PASSWORD)).isNotBlank();
    }

    @Test
    void aUserWithoutOptionalFieldsHasNullsAndNoSipPassword() {
        var created = api.post(users, admin, user("bare"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode u = created.json();
        assertThat(u.get("email").isNull()).isTrue();
        assertThat(u.get("extension").isNull()).isTrue();
        assertThat(u.get("sip_password_set").asBoolean()).isFalse();
        assertThat(u.get("role").asString()).isEqualTo("StandardUser");
    }

    @Test
    void listsUsersPageByPage() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.post(users, admin, user("page" + i)).json().get("uuid").asString());
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var a = api.get(users + "?limit=2" + (after == null ? "" : "&after=" + after), admin);
            assertThat(a.status()).isEqualTo(200);
            JsonNode items = a.json().get("items");
            assertThat(items.size()).isBetween(1, 2);
            items.forEach(u -> seen.add(u.get("uuid").asString()));
            JsonNode next = a.json().get("next");
            assertThat(a.json().has("next")).isTrue();
            after = next.isNull() ? null : next.asString();
            pages++;
        } while (after != null && pages < 10);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(created);
        assertThat(pages).isEqualTo(3);

        var all = api.get(users, admin);
        assertThat(all.json().get("items").size()).isEqualTo(5);
        assertThat(all.json().get("next").isNull()).isTrue();

        assertProblem(api.get(users + "?limit=0", admin), 400, "limit");
        assertProblem(api.get(users + "?limit=501", admin), 400, "limit");
        assertProblem(api.get(users + "?limit=ten", admin), 400, "limit");
        assertProblem(api.get(users + "?after=not-a-uuid", admin), 400, "after");
    }

    @Test
    void updatesOnlyTheFieldsGivenAndANewPasswordEndsOldSessions() {
        JsonNode u = api.post(users, admin, with(user("bob"), "email", "bob@example.com", "extension", "200",
                "sip_password", "Sip-Secret-200")).json();
        String path = users + "/" + u.get("uuid").asString();
        String oldSession = api.signIn(domain, "bob", PASSWORD);
        assertThat(api.get(path, oldSession).status()).isEqualTo(200);

        var renamed = api.put(path, admin, Map.of("email", "robert@example.com"));
        assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
        JsonNode r = renamed.json();
        assertThat(r.get("email").asString()).isEqualTo("robert@example.com");
        assertThat(r.get("username").asString()).isEqualTo("bob");
        assertThat(r.get("role").asString()).isEqualTo("StandardUser");
        assertThat(r.get("extension").asString()).isEqualTo("200");
        assertThat(r.get("sip_password_set").asBoolean()).isTrue();
        assertThat(r.get("created_at")).isEqualTo(u.get("created_at"));
        // A change that touches neither password nor role keeps sessions.
        assertThat(api.get(path, oldSession).status()).isEqualTo(200);
        // A PUT that changes nothing (the same SIP password included) keeps updated_at.
        var same = api.put(path, admin, Map.of("email", "robert@example.com", "sip_password", "Sip-Secret-200"));
        assertThat(same.json().get("updated_at")).isEqualTo(r.get("updated_at"));
        assertThat(api.put(path, admin, Map.of()).json().get("updated_at")).isEqualTo(r.get("updated_at"));

        String newPassword = "New-Passw0rd-2";
        var changed = api.put(path, admin, Map.of("password", newPassword));
        assertThat(changed.status()).isEqualTo(200);
        assertNoSecrets(changed, newPassword, PASSWORD);
        assertThat(changed.json().get("email").asString()).isEqualTo("robert@example.com");

        var stale = api.get(path, oldSession);
        assertProblem(stale, 401, null);
        assertThat(api.post("/api/auth/sign_in", null,
                Map.of("username", "bob", "password", PASSWORD, "domain", domain)).status()).isEqualTo(401);
        String fresh = api.signIn(domain, "bob", newPassword);
        assertThat(api.get(path, fresh).status()).isEqualTo(200);

        // Empty strings clear the optional fields.
        var cleared = api.put(path, admin, Map.of("email", "", "extension", "", "sip_password", ""));
        assertThat(cleared.status()).as(cleared.text()).isEqualTo(200);
        assertThat(cleared.json().get("email").isNull()).isTrue();
        assertThat(cleared.json().get("extension").isNull()).isTrue();
        assertThat(cleared.json().get("sip_password_set").asBoolean()).isFalse();

        // A refused update changes nothing.
        assertProblem(api.put(path, admin, Map.of("username", "bad name", "email", "x@example.com")), 400,
                "username");
        assertProblem(api.put(path, admin, Map.of("password", "weak")), 400, "password");
        assertThat(api.get(path, admin).json().get("email").isNull()).isTrue();
        assertThat(api.get(path, admin).json().get("username").asString()).isEqualTo("bob");
        assertThat(api.get(path, fresh).status()).isEqualTo(200);
    }

    @Test
    void aNewRoleEndsTheUsersSessions() {
        JsonNode u = api.post(users, admin, with(user("carol"), "role", "Admin")).json();
        String path = users + "/" + u.get("uuid").asString();
        String session = api.signIn(domain, "carol", PASSWORD);
        assertThat(api.get(users, session).status()).isEqualTo(200);
        assertThat(api.put(path, admin, Map.of("role", "StandardUser")).json().get("role").asString())
                .isEqualTo("StandardUser");
        assertProblem(api.get(users, session), 401, null);
        String again = api.signIn(domain, "carol", PASSWORD);
        assertProblem(api.get(users, again), 403, null);
    }

    @Test
    void deletesAUserAndItsTokensStopWorking() {
        JsonNode u = api.post(users, admin, with(user("dan"), "extension", "300", "sip_password", "Sip-Secret-300"))
                .json();
        String path = users + "/" + u.get("uuid").asString();
        String session = api.signIn(domain, "dan", PASSWORD);
        var refresh = api.post("/api/auth/sign_in", null, Map.of("username", "dan", "password", PASSWORD,
                "domain", domain)).json().get("refresh_token").asString();

        var deleted = api.delete(path, admin);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.text()).isEmpty();
        assertProblem(api.get(path, admin), 404, null);
        assertProblem(api.delete(path, admin), 404, null);
        assertProblem(api.put(path, admin, Map.of("email", "x@example.com")), 404, null);
        assertProblem(api.get(path, session), 401, null);
        assertProblem(api.get("/api/auth/user", session), 401, null);
        assertThat(api.post("/api/auth/refresh_token", null, Map.of("refresh_token", refresh)).status())
                .isEqualTo(401);
        assertThat(usernames()).doesNotContain("dan");
        // The name and the extension are free again.
        assertThat(api.post(users, admin, with(user("DAN"), "extension", "300")).status()).isEqualTo(201);
    }

    @Test
    void acceptsUsernamesAtTheEdgesOfTheRules() {
        for (String name : new String[] {"a", "7", "x".repeat(64), "o'brien", "first.last", "under_score",
                "dash-ed", "a.b", "A-Z_0.9'x", "Admins", "rooter", "sys"}) {
            var a = api.post(users, admin, user(name));
            assertThat(a.status()).as(name + ": " + a.text()).isEqualTo(201);
            assertThat(a.json().get("username").asString()).isEqualTo(name);
        }
    }

    @Test
    void refusesUsernamesThatBreakTheRules() {
        Set<String> before = usernames();
        List<String> bad = new ArrayList<>(List.of("x".repeat(65), "", "with space", "at@sign", "sl/ash",
                "back\\slash", "üñï", "名前", "tab\tname", "semi;colon", "quote\"", ".lead", "trail.", ".", "..",
                "admin", "Admin", "System", "ADMINISTRATOR", "root", "rOOt"));
        for (String name : bad) {
            var a = api.post(users, admin, user(name));
            assertProblem(a, 400, "username");
        }
        Map<String, Object> noName = user("x");
        noName.remove("username");
        assertProblem(api.post(users, admin, noName), 400, "username");
        assertThat(usernames()).isEqualTo(before);

        var reserved = api.post(users, admin, user("System"));
        assertThat(reserved.json().get("detail").asString()).contains("reserved");
        var period = api.post(users, admin, user("trail."));
        assertThat(period.json().get("detail").asString()).contains("period");
        var longName = api.post(users, admin, user("x".repeat(65)));
        assertThat(longName.json().get("detail").asString()).contains("64");
    }

    @Test
    void usernamesAreUniquePerTenantInAnyCase() {
        assertThat(api.post(users, admin, user("Frank")).status()).isEqualTo(201);
        for (String name : new String[] {"Frank", "frank", "FRANK"}) {
            var dup = api.post(users, admin, user(name));
            assertProblem(dup, 409, "username");
            assertThat(dup.json().get("detail").asString()).contains("already used");
        }
        String other = api.createTenant(admin).get("uuid").asString();
        assertThat(api.post("/api/v2/tenants/" + other + "/users", admin, user("frank")).status()).isEqualTo(201);

        // Renaming onto another user's name is a conflict too.
        JsonNode george = api.post(users, admin, user("george")).json();
        assertProblem(api.put(users + "/" + george.get("uuid").asString(), admin, Map.of("username", "FRANK")),
                409, "username");
        // Renaming to a different case of one's own name is fine.
        var recased = api.put(users + "/" + george.get("uuid").asString(), admin, Map.of("username", "George"));
        assertThat(recased.status()).as(recased.text()).isEqualTo(200);
        assertThat(recased.json().get("username").asString()).isEqualTo("George");
    }

    @Test
    void rolesAreAdminOrStandardUser() {
        assertThat(api.post(users, admin, with(user("r1"), "role", "Admin")).status()).isEqualTo(201);
        assertThat(api.post(users, admin, with(user("r2"), "role", "StandardUser")).status()).isEqualTo(201);

        var system = api.post(users, admin, with(user("r3"), "role", "SystemAdmin"));
        assertProblem(system, 400, "role");
        assertThat(system.json().get("detail").asString()).contains("SystemAdmin");

        var unknown = api.post(users, admin, with(user("r4"), "role", "Boss"));
        assertProblem(unknown, 400, "role");
        String detail = unknown.json().get("detail").asString();
        assertThat(detail).contains("Boss", "Admin", "StandardUser");

        Map<String, Object> noRole = user("r5");
        noRole.remove("role");
        assertProblem(api.post(users, admin, noRole), 400, "role");
        assertProblem(api.post(users, admin, with(user("r6"), "role", 1)), 400, "role");
        assertProblem(api.post(users, admin, with(user("r7"), "role", "")), 400, "role");

        JsonNode r2 = api.get(users, admin).json().get("items");
        String standard = null;
        for (JsonNode u : r2) {
            if (u.get("username").asString().equals("r2")) {
                standard = u.get("uuid").asString();
            }
        }
        assertProblem(api.put(users + "/" + standard, admin, Map.of("role", "SystemAdmin")), 400, "role");
        assertThat(api.get(users + "/" + standard, admin).json().get("role").asString()).isEqualTo("StandardUser");
        assertThat(usernames()).containsExactlyInAnyOrder("r1", "r2");
    }

    @Test
    void refusesWeakPasswords() {
        for (String weak : new String[] {"", "short1A", "alllowercase", "ALLUPPERCASE", "12345678",
                "x".repeat(129)}) {
            var a = api.post(users, admin, with(user("weak"), "password", weak));
            assertProblem(a, 400, "password");
        }
        Map<String, Object> noPassword = user("weak");
        noPassword.remove("password");
        assertProblem(api.post(users, admin, noPassword), 400, "password");
        assertThat(usernames()).doesNotContain("weak");
        assertThat(api.post(users, admin, with(user("strong"), "password", "lower123")).status()).isEqualTo(201);
    }

    @Test
    void enforcesSipCredentialRules() {
        assertThat(api.post(users, admin, with(user("s1"), "extension", "500", "sip_password", "Sip-Secret-500"))
                .status()).isEqualTo(201);
        var dupExtension = api.post(users, admin, with(user("s2"), "extension", "500"));
        assertProblem(dupExtension, 409, "extension");
        assertThat(dupExtension.json().get("detail").asString()).contains("500");

        var sipWithoutExtension = api.post(users, admin, with(user("s3"), "sip_password", "Sip-Secret-501"));
        assertProblem(sipWithoutExtension, 400, "extension");
        assertProblem(api.post(users, admin, with(user("s4"), "extension", "bad ext")), 400, "extension");
        assertProblem(api.post(users, admin, with(user("s5"), "extension", "501", "sip_password", "short")), 400,
                "sip_password");

        // An extension alone is fine: no SIP password yet.
        var noSip = api.post(users, admin, with(user("s6"), "extension", "502"));
        assertThat(noSip.status()).isEqualTo(201);
        assertThat(noSip.json().get("sip_password_set").asBoolean()).isFalse();

        // The same extension in another tenant is fine.
        String other = api.createTenant(admin).get("uuid").asString();
        assertThat(api.post("/api/v2/tenants/" + other + "/users", admin, with(user("s1"), "extension", "500"))
                .status()).isEqualTo(201);

        // Moving onto a used extension is a conflict.
        String s6 = noSip.json().get("uuid").asString();
        assertProblem(api.put(users + "/" + s6, admin, Map.of("extension", "500")), 409, "extension");
        assertThat(usernames()).containsExactlyInAnyOrder("s1", "s6");
    }

    @Test
    void refusesBadEmailAddresses() {
        for (String email : new String[] {"nope", "two@@example.com", "a b@example.com", "@example.com",
                "name@", "x".repeat(65) + "@example.com"}) {
            assertProblem(api.post(users, admin, with(user("mail"), "email", email)), 400, "email");
        }
        assertThat(usernames()).doesNotContain("mail");
    }

    @Test
    void refusesMalformedBodiesAndCreatesNothing() {
        Set<String> before = usernames();
        String ok = "\"username\":\"mal\",\"password\":\"" + PASSWORD + "\",\"role\":\"StandardUser\"";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{" + ok, null);
        cases.put("{" + ok + ",}", null);
        cases.put("[" + "{" + ok + "}]", null);
        cases.put("\"mal\"", null);
        cases.put("42", null);
        cases.put("{\"username\":5,\"password\":\"" + PASSWORD + "\",\"role\":\"StandardUser\"}", "username");
        cases.put("{\"username\":\"mal\",\"password\":12345678,\"role\":\"StandardUser\"}", "password");
        cases.put("{" + ok + ",\"email\":true}", "email");
        cases.put("{" + ok + ",\"extension\":100}", "extension");
        cases.put("{" + ok + ",\"extension\":{\"n\":1}}", "extension");
        cases.put("{\"username\":[\"mal\"],\"password\":\"" + PASSWORD + "\",\"role\":\"StandardUser\"}",
                "username");
        cases.put("{" + ok + ",\"is_admin\":true}", "is_admin");
        cases.put("{" + ok + ",\"password_hash\":\"$2a$10$x\"}", "password_hash");
        cases.put("{" + ok + ",\"tenant_uuid\":\"" + tenant + "\"}", "tenant_uuid");
        for (var c : cases.entrySet()) {
            var a = api.send("POST", users, admin, c.getKey(), "application/json");
            assertProblem(a, 400, c.getValue());
            assertThat(a.json().get("detail").asString()).as(c.getKey()).doesNotContain("tools.jackson",
                    "Exception", "dev.switchboard");
        }
        var unknown = api.send("POST", users, admin, "{" + ok + ",\"is_admin\":true}", "application/json");
        assertThat(unknown.json().get("detail").asString()).contains("is_admin");
        var wrongType = api.send("POST", users, admin, "{" + ok + ",\"extension\":100}", "application/json");
        assertThat(wrongType.json().get("detail").asString()).contains("extension");

        assertProblem(api.send("POST", users, admin, null, "application/json"), 400, null);
        assertProblem(api.send("POST", users, admin, "username=mal", "application/x-www-form-urlencoded"), 415,
                null);

        var huge = api.send("POST", users, admin, "{" + ok + ",\"email\":\"" + "x".repeat(70_000) + "@e.com\"}",
                "application/json");
        assertProblem(huge, 413, null);
        var hugeChunked = api.sendChunked("POST", users, admin,
                "{" + ok + ",\"email\":\"" + "x".repeat(70_000) + "@e.com\"}", "application/json");
        assertProblem(hugeChunked, 413, null);
        assertThat(hugeChunked.json().get("detail").asString()).contains("larger than");

        assertThat(usernames()).isEqualTo(before);
        // The same body, well-formed, is accepted: the refusals were about the form.
        assertThat(api.send("POST", users, admin, "{" + ok + "}", "application/json").status()).isEqualTo(201);
        assertThat(api.sendChunked("POST", users, admin, "{\"username\":\"mal2\",\"password\":\"" + PASSWORD
                + "\",\"role\":\"Admin\"}", "application/json").status()).isEqualTo(201);
    }

    @Test
    void refusesMissingGarbageAndExpiredTokens() {
        Set<String> before = usernames();
        Map<String, Object> body = user("tok");
        assertProblem(api.post(users, null, body), 401, null);
        assertProblem(api.post(users, "garbage", body), 401, null);
        assertProblem(api.post(users, "x".repeat(5000), body), 401, null);
        assertProblem(api.sendWithHeaders("POST", users, body, "application/json",
                Map.of("Authorization", "Basic YWRtaW46eA==")), 401, null);
        assertProblem(api.sendWithHeaders("GET", users, null, null, Map.of("Authorization", "Bearer")), 401, null);

        String token = api.signIn(null, "admin", dev.switchboard.support.TestDatabase.ADMIN_PASSWORD);
        assertThat(api.get(users, token).status()).isEqualTo(200);
        jdbc.sql("UPDATE auth_token SET expires_at = ? WHERE token_hash = ?")
                .params(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1),
                        SecureTokens.sha256Hex(token))
                .update();
        var expired = api.post(users, token, body);
        assertProblem(expired, 401, null);
        assertThat(expired.json().get("detail").asString()).containsIgnoringCase("token");

        // A refresh token is not an access token.
        String refresh = api.post("/api/auth/sign_in", null, Map.of("username", "admin", "password",
                dev.switchboard.support.TestDatabase.ADMIN_PASSWORD)).json().get("refresh_token").asString();
        assertProblem(api.post(users, refresh, body), 401, null);
        assertThat(usernames()).isEqualTo(before);
    }

    @Test
    void unknownTenantsAndUsersAre404() {
        String nobody = java.util.UUID.randomUUID().toString();
        String missingTenant = "/api/v2/tenants/" + nobody + "/users";
        assertProblem(api.get(missingTenant, admin), 404, null);
        assertProblem(api.post(missingTenant, admin, user("ghost")), 404, null);
        assertProblem(api.get(users + "/" + nobody, admin), 404, null);
        assertProblem(api.put(users + "/" + nobody, admin, Map.of("email", "a@example.com")), 404, null);
        assertProblem(api.delete(users + "/" + nobody, admin), 404, null);
        assertProblem(api.get(users + "/not-a-uuid", admin), 400, "user");
        // The system administrator is no tenant's user.
        String adminId = jdbc.sql("SELECT id FROM app_user WHERE role = 'SYSTEM_ADMIN'").query(String.class)
                .single();
        assertProblem(api.get(users + "/" + adminId, admin), 404, null);
        assertProblem(api.delete(users + "/" + adminId, admin), 404, null);
        assertThat(api.signInAdmin()).isNotBlank();
    }

    @Test
    void healthAnswersWithoutAToken() {
        var health = api.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().has("components")).isFalse();
        assertThat(health.json().has("details")).isFalse();
    }
}
