package dev.switchboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.support.TestDatabase;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SwitchboardTest
class TenantApiTest {

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
    void createsReadsUpdatesAndDeletesATenant() {
        var created = api.post("/api/v2/tenants", admin,
                Map.of("name", "Acme", "domain", "Acme-Create.Example.com", "website", "https://acme.example.com"));
        assertThat(created.status()).isEqualTo(201);
        String uuid = created.json().get("uuid").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v2/tenants/" + uuid);
        assertThat(created.json().get("domain").asString()).isEqualTo("Acme-Create.Example.com");
        assertThat(created.json().get("enabled").asBoolean()).isTrue();
        assertThat(created.json().has("created_at")).isTrue();

        var read = api.get("/api/v2/tenants/" + uuid, admin);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("website").asString()).isEqualTo("https://acme.example.com");

        // A PUT that changes nothing leaves updated_at telling when something last changed.
        String before = read.json().get("updated_at").asString();
        assertThat(api.put("/api/v2/tenants/" + uuid, admin, Map.of()).json().get("updated_at").asString())
                .isEqualTo(before);
        assertThat(api.put("/api/v2/tenants/" + uuid, admin, Map.of("name", "Acme", "enabled", true)).json()
                .get("updated_at").asString()).isEqualTo(before);

        var updated = api.put("/api/v2/tenants/" + uuid, admin, Map.of("name", "Acme Two"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("name").asString()).isEqualTo("Acme Two");
        assertThat(updated.json().get("domain").asString()).isEqualTo("Acme-Create.Example.com");

        assertThat(api.delete("/api/v2/tenants/" + uuid, admin).status()).isEqualTo(204);
        assertThat(api.get("/api/v2/tenants/" + uuid, admin).status()).isEqualTo(404);
        assertThat(api.delete("/api/v2/tenants/" + uuid, admin).status()).isEqualTo(404);
    }

    @Test
    void refusesADomainAlreadyUsedInAnyCase() {
        assertThat(api.post("/api/v2/tenants", admin, Map.of("name", "A", "domain", "dup.example.org")).status())
                .isEqualTo(201);
        var second = api.post("/api/v2/tenants", admin, Map.of("name", "B", "domain", "DUP.example.org"));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.contentType()).startsWith("application/problem+json");
        assertThat(second.json().get("detail").asString()).contains("already used");
    }

    @Test
    void refusesInvalidDomainsAndNames() {
        for (String domain : new String[] {"", "nodots", "bad_char.example.com", "-lead.example.com", "1.2.3.999",
                "a..b.com"}) {
            var a = api.post("/api/v2/tenants", admin, Map.of("name", "X", "domain", domain));
            assertThat(a.status()).as(domain).isEqualTo(400);
            assertThat(a.json().get("field").asString()).isEqualTo("domain");
        }
        assertThat(api.post("/api/v2/tenants", admin, Map.of("domain", "noname.example.com")).status()).isEqualTo(400);
        assertThat(api.post("/api/v2/tenants", admin, Map.of("name", "IP", "domain", "192.0.2.10")).status())
                .isEqualTo(201);
        assertThat(api.post("/api/v2/tenants", admin, Map.of("name", "V6", "domain", "[2001:db8::10]")).status())
                .isEqualTo(201);
        // A name with control characters, and a website a client's page would run as script.
        for (String name : new String[] {"ctl\u0000\u001b[31m", "evil\u202Etxt.exe", "zero\u200Bwidth"}) {
            var control = api.post("/api/v2/tenants", admin, Map.of("name", name, "domain", "ctl-name.example.com"));
            assertThat(control.status()).as(name).isEqualTo(400);
            assertThat(control.json().get("field").asString()).isEqualTo("name");
        }
        for (String website : new String[] {"javascript:alert(1)", "data:text/html,x", "JavaScript:x",
                "//evil.example", "javascript&colon;alert(1)", "jav&#x09;ascript:alert(1)", "javascript%3Aalert(1)",
                "\u00a0javascript:alert(1)"}) {
            var a = api.post("/api/v2/tenants", admin, Map.of("name", "W", "domain", "site-bad.example.com",
                    "website", website));
            assertThat(a.status()).as(website).isEqualTo(400);
            assertThat(a.json().get("field").asString()).isEqualTo("website");
        }
        int n = 0;
        for (String website : new String[] {"www.example.com", "example.com:8443/portal", "HTTPS://example.com"}) {
            assertThat(api.post("/api/v2/tenants", admin, Map.of("name", "W", "domain", "site-ok" + n++ + ".example.com",
                    "website", website)).status()).as(website).isEqualTo(201);
        }
    }

    @Test
    void answersMalformedBodiesWithAProblemAndChangesNothing() {
        String domain = "malformed.example.net";
        for (String body : new String[] {"{\"name\":\"x\",", "[1,2]", "\"text\"",
                "{\"name\":5,\"domain\":\"" + domain + "\"}",
                "{\"name\":\"x\",\"domain\":\"" + domain + "\",\"enabled\":\"yes\"}",
                "{\"name\":\"x\",\"domain\":\"" + domain + "\",\"unknown\":1}"}) {
            var a = api.send("POST", "/api/v2/tenants", admin, body, "application/json");
            assertThat(a.status()).as(body).isEqualTo(400);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.json().get("detail").asString()).isNotBlank();
        }
        var huge = api.send("POST", "/api/v2/tenants", admin,
                "{\"name\":\"" + "x".repeat(100_000) + "\",\"domain\":\"" + domain + "\"}", "application/json");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.contentType()).as("as every other problem the API writes").isEqualTo("application/problem+json");
        assertThat(huge.header("Cache-Control")).isEqualTo("no-store");
        assertThat(huge.json().get("instance").asString()).isEqualTo("/api/v2/tenants");
        assertThat(api.post("/api/v2/tenants", admin, Map.of("name", "ok", "domain", domain)).status()).isEqualTo(201);
    }

    @Test
    void listsTenantsPageByPage() {
        for (int i = 0; i < 3; i++) {
            api.createTenant(admin);
        }
        Set<String> seen = new HashSet<>();
        String after = null;
        int pages = 0;
        do {
            var a = api.get("/api/v2/tenants?limit=2" + (after == null ? "" : "&after=" + after), admin);
            assertThat(a.status()).isEqualTo(200);
            JsonNode items = a.json().get("items");
            assertThat(items.size()).isLessThanOrEqualTo(2);
            items.forEach(t -> assertThat(seen.add(t.get("uuid").asString())).isTrue());
            after = a.json().get("next").isNull() ? null : a.json().get("next").asString();
            pages++;
        } while (after != null && pages < 100);
        assertThat(seen.size()).isGreaterThanOrEqualTo(3);
        assertThat(pages).isGreaterThanOrEqualTo(2);
        assertThat(api.get("/api/v2/tenants?limit=0", admin).status()).isEqualTo(400);
    }

    @Test
    void anIpv6DomainIsKeptInOneSpellingSoItsOtherSpellingsAreTaken() {
        String group = Integer.toHexString(0x1000 + new java.util.Random().nextInt(0xe000));
        Api.Answer created = api.post("/api/v2/tenants", admin,
                Map.of("name", "v6 " + group, "domain", "2001:DB8:0:0:0:0:0:" + group.toUpperCase()));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        // As a SIP URI writes it (RFC 3261 §19.1.1, RFC 5952), which is also the digest realm.
        assertThat(created.json().get("domain").asString()).isEqualTo("[2001:db8::" + group + "]");
        for (String other : new String[] {"2001:db8::" + group, "[2001:db8:0::" + group + "]"}) {
            Api.Answer again = api.post("/api/v2/tenants", admin, Map.of("name", "v6 again", "domain", other));
            assertThat(again.status()).as(other + ": " + again.text()).isEqualTo(409);
        }
    }

    @Test
    void aDomainWrittenInOtherLettersIsNoChangeAndKeepsTheSipPasswords() {
        JsonNode tenant = api.createTenant(admin);
        String uuid = tenant.get("uuid").asString();
        String domain = tenant.get("domain").asString();
        Api.Answer user = api.post("/api/v2/tenants/" + uuid + "/users", admin, Map.of("username", "casey",
                "password", "Casey-Secret-1", "role", "StandardUser", "extension", "301",
                "sip_password", "sip-Secret-301"));
        assertThat(user.status()).as(user.text()).isEqualTo(201);
        Api.Answer renamed = api.put("/api/v2/tenants/" + uuid, admin, Map.of("domain", domain.toUpperCase()));
        assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
        assertThat(renamed.json().get("domain").asString()).isEqualTo(domain);
        Api.Answer after = api.get("/api/v2/tenants/" + uuid + "/users/" + user.json().get("uuid").asString(), admin);
        assertThat(after.json().get("sip_password_set").asBoolean()).isTrue();
    }

    @Test
    void answersJsonWhateverAcceptSays() {
        // A browser's Accept used to turn a sign-in that had happened into a 500.
        Api.Answer signIn = api.sendWithHeaders("POST", "/api/auth/sign_in",
                Map.of("username", "admin", "password", TestDatabase.ADMIN_PASSWORD), "application/json",
                Map.of("Accept", "text/html"));
        assertThat(signIn.status()).as(signIn.text()).isEqualTo(200);
        assertThat(signIn.contentType()).startsWith("application/json");
        assertThat(signIn.json().get("access_token").asString()).isNotBlank();
        for (String accept : new String[] {"application/xml", "text/plain", "image/png"}) {
            Api.Answer list = api.sendWithHeaders("GET", "/api/v2/tenants", null, null,
                    Map.of("Authorization", "Bearer " + admin, "Accept", accept));
            assertThat(list.status()).as(accept + ": " + list.text()).isEqualTo(200);
            assertThat(list.json().has("items")).isTrue();
            Api.Answer status = api.sendWithHeaders("GET", "/api/v1/sip/status", null, null,
                    Map.of("Authorization", "Bearer " + admin, "Accept", accept));
            assertThat(status.status()).as(accept + ": " + status.text()).isEqualTo(200);
            assertThat(status.json().has("sip_status")).isTrue();
        }
    }

    @Test
    void aMethodTheResourceDoesNotHaveIs405WithTheMethodsItHas() {
        var a = api.send("PATCH", "/api/v2/tenants", admin, "{}", "application/json");
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.contentType()).startsWith("application/problem+json");
        // RFC 9110 §15.5.6: the 405 carries Allow.
        assertThat(a.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void refusesCallsWithoutAValidToken() {
        assertThat(api.get("/api/v2/tenants", null).status()).isEqualTo(401);
        var garbage = api.get("/api/v2/tenants", "not-a-token");
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(garbage.contentType()).startsWith("application/problem+json");
        // RFC 9110 §15.5.2, RFC 6750 §3: the 401 names the scheme.
        assertThat(garbage.header("WWW-Authenticate")).startsWith("Bearer ").contains("error=\"invalid_token\"");
        assertThat(api.get("/api/v2/tenants", null).header("WWW-Authenticate")).isEqualTo("Bearer realm=\"switchboard\"");
        assertThat(garbage.json().get("instance").asString()).isEqualTo("/api/v2/tenants");
        // A refused sign-in is a 401 too, and names the scheme as well.
        Api.Answer wrong = api.post("/api/auth/sign_in", null, Map.of("username", "admin", "password", "wrong-1"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).startsWith("Bearer ");
        assertThat(api.post("/api/v2/tenants", null, Map.of("name", "x", "domain", "anon.example.com")).status())
                .isEqualTo(401);
    }
}
