package dev.switchboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Tenant isolation and roles on every native endpoint that names a tenant or a user. Two tenants,
 * A and B, each with an Admin and a StandardUser: a token of A never reaches B's data (404, and B
 * is unchanged), and within a tenant each role gets exactly what SPEC 2 allows.
 *
 * <p>New tenant-scoped endpoints (bindings, trunks, SIP accounts) get a row in {@link #ENDPOINTS}.
 */
@SwitchboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {

    static final String PASSWORD = "Passw0rd-Iso";
    static final AtomicInteger SEQ = new AtomicInteger();
    static final Supplier<Object> NO_BODY = () -> null;

    /**
     * A native call naming a tenant ({@code {tenant}}) and perhaps a user ({@code {user}}), with what
     * an Admin and a StandardUser of that same tenant get (the user being another user of the tenant).
     */
    record Endpoint(String method, String template, Supplier<Object> body, int adminOfOwnTenant,
                    int standardUserOfOwnTenant) {

        String path(Ids ids) {
            return template.replace("{tenant}", ids.tenant()).replace("{user}", ids.user());
        }

        boolean namesUser() {
            return template.contains("{user}");
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** A tenant id and a user id to put in a path. */
    record Ids(String tenant, String user) {
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            // SPEC 2: a StandardUser reads its own profile and bindings, not the tenant record.
            new Endpoint("GET", "/api/v2/tenants/{tenant}", NO_BODY, 200, 403),
            new Endpoint("PUT", "/api/v2/tenants/{tenant}", () -> Map.of("name", "Taken over", "enabled", false),
                    403, 403),
            new Endpoint("DELETE", "/api/v2/tenants/{tenant}", NO_BODY, 403, 403),
            new Endpoint("GET", "/api/v2/tenants/{tenant}/users", NO_BODY, 200, 403),
            new Endpoint("POST", "/api/v2/tenants/{tenant}/users", TenantIsolationTest::newUser, 201, 403),
            new Endpoint("GET", "/api/v2/tenants/{tenant}/users/{user}", NO_BODY, 200, 404),
            new Endpoint("PUT", "/api/v2/tenants/{tenant}/users/{user}",
                    () -> Map.of("email", "intruder@example.com", "password", "Intrud3r-Pass", "role", "Admin"),
                    200, 403),
            new Endpoint("DELETE", "/api/v2/tenants/{tenant}/users/{user}", NO_BODY, 204, 403),
            new Endpoint("GET", "/api/v2/audit?tenant={tenant}", NO_BODY, 200, 403));

    static Stream<Endpoint> endpoints() {
        return ENDPOINTS.stream();
    }

    static Map<String, Object> newUser() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", "new" + SEQ.incrementAndGet());
        body.put("password", PASSWORD);
        body.put("role", "StandardUser");
        return body;
    }

    /** One tenant with its Admin and StandardUser, signed in. */
    record Side(String tenant, String domain, String adminId, String adminToken, String userId, String userToken) {
        String users() {
            return "/api/v2/tenants/" + tenant + "/users";
        }
    }

    @LocalServerPort
    int port;

    Api api;
    String system;
    Side a;
    Side b;

    @BeforeAll
    void setUp() {
        api = new Api(port);
        system = api.signInAdmin();
        a = side("a");
        b = side("b");
    }

    Side side(String name) {
        JsonNode tenant = api.createTenant(system);
        String id = tenant.get("uuid").asString();
        String domain = tenant.get("domain").asString();
        String adminId = api.createUser(system, id, name + "-admin", PASSWORD, "Admin").get("uuid").asString();
        String userId = api.createUser(system, id, name + "-user", PASSWORD, "StandardUser").get("uuid").asString();
        return new Side(id, domain, adminId, api.signIn(domain, name + "-admin", PASSWORD), userId,
                api.signIn(domain, name + "-user", PASSWORD));
    }

    /** A user of the tenant created for one call, so that calls which succeed touch nothing shared. */
    String throwawayUser(Side side) {
        return api.createUser(system, side.tenant(), "tmp" + SEQ.incrementAndGet(), PASSWORD, "StandardUser")
                .get("uuid").asString();
    }

    /** Everything a SystemAdmin can see of a tenant: the tenant, its users and its audit events. */
    String snapshot(Side side) {
        StringBuilder out = new StringBuilder();
        var tenant = api.get("/api/v2/tenants/" + side.tenant(), system);
        assertThat(tenant.status()).isEqualTo(200);
        out.append(tenant.json()).append('\n');
        var users = api.get(side.users() + "?limit=500", system);
        assertThat(users.status()).isEqualTo(200);
        out.append(users.json()).append('\n');
        return out.toString();
    }

    /** The tenant's own people still work: their tokens are valid and their passwords unchanged. */
    void assertStillWorks(Side side) {
        assertThat(api.get(side.users(), side.adminToken()).status()).isEqualTo(200);
        assertThat(api.get(side.users() + "/" + side.userId(), side.userToken()).status()).isEqualTo(200);
    }

    static void assertNotFoundProblem(Api.Answer answer, String what) {
        assertThat(answer.status()).as(what + " -> " + answer.text()).isEqualTo(404);
        assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
        assertThat(answer.json().get("status").asInt()).isEqualTo(404);
        assertThat(answer.json().get("detail").asString()).as(what).endsWith("not found");
    }

    /** The id pairs of B (or mixing A and B) that a token of A must never reach. */
    List<Ids> foreignIds(Endpoint endpoint) {
        List<Ids> ids = new ArrayList<>();
        ids.add(new Ids(b.tenant(), b.userId()));
        if (endpoint.namesUser()) {
            ids.add(new Ids(b.tenant(), b.adminId()));
            ids.add(new Ids(a.tenant(), b.userId()));
            ids.add(new Ids(b.tenant(), a.userId()));
        }
        return ids;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aTokenOfTenantANeverReachesTenantB(Endpoint endpoint) {
        String beforeA = snapshot(a);
        String beforeB = snapshot(b);
        for (Ids ids : foreignIds(endpoint)) {
            String what = endpoint.method() + " " + endpoint.path(ids);
            var asAdmin = api.send(endpoint.method(), endpoint.path(ids), a.adminToken(), endpoint.body().get(),
                    "application/json");
            assertNotFoundProblem(asAdmin, "Admin of A: " + what);

            // A StandardUser may be refused for its role first, but exactly as for ids that exist nowhere.
            var asUser = api.send(endpoint.method(), endpoint.path(ids), a.userToken(), endpoint.body().get(),
                    "application/json");
            Ids nowhere = new Ids(ids.tenant().equals(a.tenant()) ? a.tenant() : UUID.randomUUID().toString(),
                    UUID.randomUUID().toString());
            var asUserNowhere = api.send(endpoint.method(), endpoint.path(nowhere), a.userToken(),
                    endpoint.body().get(), "application/json");
            assertThat(asUser.status()).as("StandardUser of A: " + what + " -> " + asUser.text())
                    .isIn(403, 404).isEqualTo(asUserNowhere.status());
            assertThat(asUser.contentType()).startsWith("application/problem+json");
            assertThat(asUser.json().get("detail")).isEqualTo(asUserNowhere.json().get("detail"));
            if (ids.tenant().equals(b.tenant())) {
                assertNotFoundProblem(asUser, "StandardUser of A: " + what);
            }
        }
        assertThat(snapshot(b)).isEqualTo(beforeB);
        assertThat(snapshot(a)).isEqualTo(beforeA);
        assertStillWorks(a);
        assertStillWorks(b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aUserOfAnotherTenantIsNotFoundUnderOnesOwnTenant(Endpoint endpoint) {
        if (!endpoint.namesUser()) {
            return;
        }
        String beforeA = snapshot(a);
        // Admin of B, on its own tenant's path, naming A's users.
        for (String foreignUser : List.of(a.userId(), a.adminId())) {
            Ids ids = new Ids(b.tenant(), foreignUser);
            var answer = api.send(endpoint.method(), endpoint.path(ids), b.adminToken(), endpoint.body().get(),
                    "application/json");
            assertNotFoundProblem(answer, "Admin of B: " + endpoint.method() + " " + endpoint.path(ids));
        }
        // Even the system administrator finds A's user only under A.
        Ids mixed = new Ids(b.tenant(), a.userId());
        assertNotFoundProblem(api.send(endpoint.method(), endpoint.path(mixed), system, endpoint.body().get(),
                "application/json"), "SystemAdmin: " + endpoint.path(mixed));
        assertThat(snapshot(a)).isEqualTo(beforeA);
        assertStillWorks(a);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void rolesWithinTheTenantGetWhatTheSpecAllows(Endpoint endpoint) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("Admin", endpoint.adminOfOwnTenant());
        expected.put("StandardUser", endpoint.standardUserOfOwnTenant());
        for (var role : expected.entrySet()) {
            String token = role.getKey().equals("Admin") ? a.adminToken() : a.userToken();
            Ids ids = new Ids(a.tenant(), throwawayUser(a));
            String before = snapshot(a);
            var answer = api.send(endpoint.method(), endpoint.path(ids), token, endpoint.body().get(),
                    "application/json");
            String what = role.getKey() + " of A: " + endpoint.method() + " " + endpoint.path(ids);
            assertThat(answer.status()).as(what + " -> " + answer.text()).isEqualTo(role.getValue());
            if (role.getValue() >= 400) {
                assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
                assertThat(answer.json().get("detail").asString()).as(what).isNotBlank();
                assertThat(snapshot(a)).as(what + " changed nothing").isEqualTo(before);
            }
        }
        assertStillWorks(a);
    }

    @Test
    void aStandardUserReadsItselfOnly() {
        var self = api.get(a.users() + "/" + a.userId(), a.userToken());
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().get("username").asString()).isEqualTo("a-user");
        assertNotFoundProblem(api.get(a.users() + "/" + a.adminId(), a.userToken()), "StandardUser reads Admin");
        var ownUpdate = api.put(a.users() + "/" + a.userId(), a.userToken(), Map.of("role", "Admin"));
        assertThat(ownUpdate.status()).isEqualTo(403);
        assertThat(ownUpdate.json().get("detail").asString()).contains("Admin");
        assertThat(api.get(a.users() + "/" + a.userId(), system).json().get("role").asString())
                .isEqualTo("StandardUser");
        assertThat(api.get("/api/v2/audit", a.userToken()).status()).isEqualTo(403);
        var me = api.get("/api/auth/user", a.userToken());
        assertThat(me.json().get("role").asString()).isEqualTo("StandardUser");
    }

    @Test
    void anAdminCannotManageTenantsNorCreateASystemAdmin() {
        var create = api.post("/api/v2/tenants", a.adminToken(), Map.of("name", "Mine", "domain",
                "admin-made.example.com"));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.contentType()).startsWith("application/problem+json");
        assertThat(create.json().get("detail").asString()).contains("SystemAdmin");
        assertThat(api.post("/api/v2/tenants", a.userToken(), Map.of("name", "Mine", "domain",
                "user-made.example.com")).status()).isEqualTo(403);
        assertThat(api.get("/api/info?domain=admin-made.example.com", null).status()).isEqualTo(404);

        Map<String, Object> sysAdmin = newUser();
        sysAdmin.put("role", "SystemAdmin");
        var promote = api.post(a.users(), a.adminToken(), sysAdmin);
        assertThat(promote.status()).isEqualTo(400);
        assertThat(promote.json().get("field").asString()).isEqualTo("role");
        String target = throwawayUser(a);
        assertThat(api.put(a.users() + "/" + target, a.adminToken(), Map.of("role", "SystemAdmin")).status())
                .isEqualTo(400);
        assertThat(api.put(a.users() + "/" + a.adminId(), a.adminToken(), Map.of("role", "SystemAdmin")).status())
                .isEqualTo(400);
        assertThat(api.get(a.users() + "/" + target, system).json().get("role").asString())
                .isEqualTo("StandardUser");
        // Nor can an Admin sign in as, or reach, the system administrator.
        assertThat(api.get("/api/auth/user", a.adminToken()).json().get("role").asString()).isEqualTo("Admin");
    }

    @Test
    void tenantListsShowOnlyOnesOwnTenant() {
        for (Side side : List.of(a, b)) {
            assertThat(api.get("/api/v2/tenants", side.userToken()).status()).as("a StandardUser").isEqualTo(403);
            for (String token : List.of(side.adminToken())) {
                var list = api.get("/api/v2/tenants", token);
                assertThat(list.status()).isEqualTo(200);
                JsonNode items = list.json().get("items");
                assertThat(items.size()).isEqualTo(1);
                assertThat(items.get(0).get("uuid").asString()).isEqualTo(side.tenant());
                assertThat(list.json().get("next").isNull()).isTrue();
                var paged = api.get("/api/v2/tenants?limit=1&after=" + side.tenant(), token);
                assertThat(paged.json().get("items").size()).isZero();
            }
        }
        var all = api.get("/api/v2/tenants?limit=500", system).json().get("items");
        List<String> ids = new ArrayList<>();
        all.forEach(t -> ids.add(t.get("uuid").asString()));
        assertThat(ids).contains(a.tenant(), b.tenant());
    }

    @Test
    void theAuditLogOfATenantShowsOnlyItsOwnEvents() {
        // A failed sign-in in each tenant leaves an event there.
        assertThat(api.post("/api/auth/sign_in", null, Map.of("username", "a-user", "password", "wrong-A",
                "domain", a.domain())).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/sign_in", null, Map.of("username", "b-user", "password", "wrong-B",
                "domain", b.domain())).status()).isEqualTo(401);

        for (Side side : List.of(a, b)) {
            var own = api.get("/api/v2/audit?limit=500", side.adminToken());
            assertThat(own.status()).isEqualTo(200);
            JsonNode items = own.json().get("items");
            assertThat(items.size()).isPositive();
            items.forEach(e -> assertThat(e.get("tenant_uuid").asString()).isEqualTo(side.tenant()));
            assertThat(own.text()).doesNotContain("wrong-A", "wrong-B");
            var filtered = api.get("/api/v2/audit?limit=500&tenant=" + side.tenant(), side.adminToken());
            assertThat(filtered.json()).isEqualTo(own.json());
        }
        var bOnly = api.get("/api/v2/audit?tenant=" + b.tenant() + "&limit=500", system).json().get("items");
        assertThat(bOnly.size()).isPositive();
        bOnly.forEach(e -> assertThat(e.get("tenant_uuid").asString()).isEqualTo(b.tenant()));
    }
}
