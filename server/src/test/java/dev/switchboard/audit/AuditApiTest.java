package dev.switchboard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * GET /api/v2/audit (SPEC 2, 3.4): failed sign-ins and locks are recorded; the SystemAdmin reads
 * all of them, an Admin only its tenant's, a StandardUser none; no password is ever recorded.
 */
@SwitchboardTest
class AuditApiTest {

    static final String PASSWORD = "Right-Pass-1";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;
    String admin;
    JsonNode tenantA;
    JsonNode tenantB;
    String adminA;
    String userA;
    String adminB;
    /** Every password this test sends, right or wrong; none may show up anywhere. */
    List<String> passwords = new ArrayList<>();

    @BeforeEach
    void setUp() {
        api = new Api(port);
        admin = api.signInAdmin();
        tenantA = api.createTenant(admin);
        tenantB = api.createTenant(admin);
        api.createUser(admin, uuid(tenantA), "anna", PASSWORD, "Admin");
        api.createUser(admin, uuid(tenantA), "alex", PASSWORD, "StandardUser");
        api.createUser(admin, uuid(tenantA), "amos", PASSWORD, "StandardUser");
        api.createUser(admin, uuid(tenantB), "bert", PASSWORD, "Admin");
        adminA = api.signIn(domain(tenantA), "anna", PASSWORD);
        userA = api.signIn(domain(tenantA), "alex", PASSWORD);
        adminB = api.signIn(domain(tenantB), "bert", PASSWORD);
        passwords.add(PASSWORD);
    }

    @Test
    void recordsFailuresAndLocksWithTheirKinds() {
        Instant before = Instant.now().minusSeconds(5);
        for (int i = 0; i < 5; i++) {
            assertThat(api.trySignIn(domain(tenantA), "amos", wrongPassword()).status()).isEqualTo(401);
        }
        assertThat(api.trySignIn(domain(tenantA), "amos", PASSWORD).status()).isEqualTo(429);

        List<JsonNode> amos = api.auditEvents(admin, "tenant=" + uuid(tenantA)).stream()
                .filter(e -> e.get("subject").asString().startsWith("amos@")).toList();

        assertThat(amos).extracting(e -> e.get("kind").asString())
                .containsExactly("LOGIN_REFUSED_LOCKED", "LOGIN_LOCKED", "LOGIN_FAILED", "LOGIN_FAILED",
                        "LOGIN_FAILED", "LOGIN_FAILED", "LOGIN_FAILED");
        for (JsonNode e : amos) {
            assertThat(e.propertyNames()).contains("id", "occurred_at", "tenant_uuid", "kind", "subject", "source",
                    "detail");
            assertThat(e.get("tenant_uuid").asString()).isEqualTo(uuid(tenantA));
            assertThat(e.get("source").asString()).isEqualTo("127.0.0.1");
            assertThat(e.get("subject").asString()).containsIgnoringCase(domain(tenantA));
            assertThat(Instant.parse(e.get("occurred_at").asString())).isAfter(before);
        }
        assertNoPasswordAnywhere();
    }

    @Test
    void recordsFailuresOfUnknownUsersDomainsAndTheLegacyLogin() {
        String unknownDomain = "nowhere-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        api.trySignIn(domain(tenantA), "nobody", wrongPassword());
        api.trySignIn(unknownDomain, "anna", wrongPassword());
        api.post("/api/login", null, Api.credentials(domain(tenantA), "alex", wrongPassword()));

        List<JsonNode> all = api.auditEvents(admin, "");
        assertThat(all).anySatisfy(e -> assertEvent(e, "LOGIN_FAILED", "nobody@" + domain(tenantA)));
        assertThat(all).anySatisfy(e -> {
            assertEvent(e, "LOGIN_FAILED", "anna@" + unknownDomain);
            assertThat(e.get("tenant_uuid").isNull()).isTrue();
        });
        assertThat(all).anySatisfy(e -> assertEvent(e, "LOGIN_FAILED", "alex@" + domain(tenantA)));
        assertNoPasswordAnywhere();
    }

    @Test
    void showsTheSystemAdministratorEveryTenantAndFiltersByTenant() {
        api.trySignIn(domain(tenantA), "alex", wrongPassword());
        api.trySignIn(domain(tenantB), "bert", wrongPassword());

        List<JsonNode> all = api.auditEvents(admin, "");
        assertThat(all).anySatisfy(e -> assertEvent(e, "LOGIN_FAILED", "alex@" + domain(tenantA)));
        assertThat(all).anySatisfy(e -> assertEvent(e, "LOGIN_FAILED", "bert@" + domain(tenantB)));

        List<JsonNode> onlyB = api.auditEvents(admin, "tenant=" + uuid(tenantB));
        assertThat(onlyB).isNotEmpty();
        assertThat(onlyB).allSatisfy(e -> assertThat(e.get("tenant_uuid").asString()).isEqualTo(uuid(tenantB)));
        assertThat(onlyB).anySatisfy(e -> assertEvent(e, "LOGIN_FAILED", "bert@" + domain(tenantB)));
    }

    @Test
    void showsAnAdminOnlyItsOwnTenant() {
        api.trySignIn(domain(tenantA), "alex", wrongPassword());
        api.trySignIn(domain(tenantB), "bert", wrongPassword());
        api.trySignIn("nowhere.example.com", "anna", wrongPassword());

        List<JsonNode> seenByA = api.auditEvents(adminA, "");
        assertThat(seenByA).isNotEmpty();
        assertThat(seenByA).allSatisfy(e -> assertThat(e.get("tenant_uuid").asString()).isEqualTo(uuid(tenantA)));
        assertThat(seenByA).anySatisfy(e -> assertEvent(e, "LOGIN_FAILED", "alex@" + domain(tenantA)));
        assertThat(api.auditEvents(adminA, "tenant=" + uuid(tenantA))).hasSameSizeAs(seenByA);

        var other = api.get("/api/v2/audit?tenant=" + uuid(tenantB), adminA);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.contentType()).startsWith("application/problem+json");
        var missing = api.get("/api/v2/audit?tenant=" + UUID.randomUUID(), adminA);
        assertThat(missing.text()).isEqualTo(other.text());

        List<JsonNode> seenByB = api.auditEvents(adminB, "");
        assertThat(seenByB).allSatisfy(e -> assertThat(e.get("tenant_uuid").asString()).isEqualTo(uuid(tenantB)));
        assertThat(seenByB).noneSatisfy(e -> assertThat(e.get("subject").asString()).startsWith("alex@"));
    }

    @Test
    void refusesStandardUsersAndCallersWithoutAToken() {
        var standard = api.get("/api/v2/audit", userA);
        assertThat(standard.status()).isEqualTo(403);
        assertThat(standard.contentType()).startsWith("application/problem+json");
        assertThat(standard.json().get("detail").asString()).contains("Admin");

        var anonymous = api.get("/api/v2/audit", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
    }

    @Test
    void pagesThroughEventsNewestFirst() {
        for (int i = 0; i < 5; i++) {
            api.trySignIn(domain(tenantB), "pager" + i, wrongPassword());
        }
        List<Long> ids = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10; pages++) {
            var a = api.get("/api/v2/audit?limit=2&tenant=" + uuid(tenantB)
                    + (after == null ? "" : "&after=" + after), admin);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().get("items").size()).isLessThanOrEqualTo(2);
            a.json().get("items").forEach(e -> ids.add(e.get("id").asLong()));
            after = a.json().get("next").isNull() ? null : a.json().get("next").asString();
            if (after == null) {
                break;
            }
        }
        assertThat(ids).hasSize(5).doesNotHaveDuplicates();
        assertThat(ids).isSortedAccordingTo((x, y) -> Long.compare(y, x));

        for (String bad : new String[] {"limit=0", "limit=501", "limit=x", "after=x", "tenant=not-a-uuid"}) {
            var a = api.get("/api/v2/audit?" + bad, admin);
            assertThat(a.status()).as(bad).isEqualTo(400);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.json().get("detail").asString()).isNotBlank();
        }
    }

    private String wrongPassword() {
        String p = "Wrong-" + UUID.randomUUID();
        passwords.add(p);
        return p;
    }

    private static void assertEvent(JsonNode e, String kind, String subject) {
        assertThat(e.get("kind").asString()).isEqualTo(kind);
        assertThat(e.get("subject").asString()).isEqualToIgnoringCase(subject);
    }

    /** No password this test sent appears in any audit answer or stored audit record. */
    private void assertNoPasswordAnywhere() {
        List<String> texts = new ArrayList<>();
        texts.add(api.get("/api/v2/audit?limit=500", admin).text());
        texts.add(api.get("/api/v2/audit?limit=500", adminA).text());
        texts.add(jdbc.sql("SELECT subject, source, detail FROM audit_event")
                .query((rs, i) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3)).list().toString());
        for (String text : texts) {
            for (String password : passwords) {
                assertThat(text).doesNotContain(password);
            }
        }
    }

    private static String uuid(JsonNode tenant) {
        return tenant.get("uuid").asString();
    }

    private static String domain(JsonNode tenant) {
        return tenant.get("domain").asString();
    }
}
