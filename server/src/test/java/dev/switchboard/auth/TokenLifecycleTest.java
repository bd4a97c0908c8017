package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.TenantFixture;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.support.TestDatabase;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Tokens (SPEC 2, 3.1): random, stored hashed, rotated on refresh, revoked by sign-out and logout. */
@SwitchboardTest
class TokenLifecycleTest extends TenantFixture {

    @Autowired
    JdbcClient jdbc;

    @Test
    void storesTokensOnlyAsHashesAndMakesThemAtLeast160BitsRandom() {
        api.createUser(admin, tenantUuid, "ivy", PASSWORD, "StandardUser");
        long rowsBefore = jdbc.sql("SELECT COUNT(*) FROM auth_token").query(Long.class).single();
        JsonNode tokens = api.signInTokens(domain, "ivy", PASSWORD);
        String access = tokens.get("access_token").asString();
        String refresh = tokens.get("refresh_token").asString();

        assertThat(jdbc.sql("SELECT COUNT(*) FROM auth_token").query(Long.class).single()).isEqualTo(rowsBefore + 2);
        List<String> stored = jdbc.sql("SELECT token_hash FROM auth_token").query(String.class).list();
        for (String secret : List.of(access, refresh)) {
            assertThat(stored).noneMatch(s -> s.contains(secret) || secret.contains(s));
            assertThat(textOf("auth_token")).doesNotContain(secret);
            assertThat(textOf("audit_event")).doesNotContain(secret);
            assertThat(decodedBits(secret)).isGreaterThanOrEqualTo(160);
        }
        assertThat(api.get("/api/auth/user", access).status()).isEqualTo(200);
    }

    @Test
    void signOutEndsTheSessionButNotTheUsersOtherSessions() {
        api.createUser(admin, tenantUuid, "jack", PASSWORD, "StandardUser");
        JsonNode first = api.signInTokens(domain, "jack", PASSWORD);
        JsonNode second = api.signInTokens(domain, "jack", PASSWORD);

        var out = api.post("/api/auth/sign_out", first.get("access_token").asString(), null);

        assertThat(out.status()).isEqualTo(200);
        assertSessionEnded(first);
        assertThat(api.get("/api/auth/user", second.get("access_token").asString()).status()).isEqualTo(200);
        assertThat(refresh(second.get("refresh_token").asString()).status()).isEqualTo(200);
    }

    @Test
    void legacyLogoutAnswers204AndEndsTheSessionButNotTheUsersOtherSessions() {
        api.createUser(admin, tenantUuid, "kate", PASSWORD, "Admin");
        JsonNode first = api.signInTokens(domain, "kate", PASSWORD);
        JsonNode second = api.signInTokens(domain, "kate", PASSWORD);

        var out = api.post("/api/logout", first.get("access_token").asString(), null);

        assertThat(out.status()).isEqualTo(204);
        assertThat(out.text()).isEmpty();
        assertSessionEnded(first);
        assertThat(api.get("/api/auth/user", second.get("access_token").asString()).status()).isEqualTo(200);
        assertThat(refresh(second.get("refresh_token").asString()).status()).isEqualTo(200);
    }

    @Test
    void refreshRotatesTheTokenPair() {
        api.createUser(admin, tenantUuid, "liam", PASSWORD, "StandardUser");
        JsonNode first = api.signInTokens(domain, "liam", PASSWORD);

        var a = refresh(first.get("refresh_token").asString());

        assertThat(a.status()).isEqualTo(200);
        SignInTest.assertTokenObject(a.json(), 1800);
        JsonNode second = a.json();
        assertThat(second.get("access_token").asString()).isNotEqualTo(first.get("access_token").asString());
        assertThat(second.get("refresh_token").asString()).isNotEqualTo(first.get("refresh_token").asString());
        var user = api.get("/api/auth/user", second.get("access_token").asString());
        assertThat(user.status()).isEqualTo(200);
        assertThat(user.json().get("role").asString()).isEqualTo("StandardUser");
        assertThat(refresh(second.get("refresh_token").asString()).status()).isEqualTo(200);
    }

    @Test
    void refusesReusedRefreshTokenAndRevokesTheSession() {
        api.createUser(admin, tenantUuid, "mona", PASSWORD, "StandardUser");
        JsonNode first = api.signInTokens(domain, "mona", PASSWORD);
        JsonNode other = api.signInTokens(domain, "mona", PASSWORD);
        JsonNode second = refresh(first.get("refresh_token").asString()).json();

        var reuse = refresh(first.get("refresh_token").asString());

        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.contentType()).startsWith("application/problem+json");
        assertThat(reuse.json().get("detail").asString()).isNotBlank();
        assertSessionEnded(first);
        assertSessionEnded(second);
        assertThat(api.get("/api/auth/user", other.get("access_token").asString()).status()).isEqualTo(200);
        // A stolen or replayed token is on record for the tenant's admins, not only in the log.
        assertThat(api.auditEvents(admin, "tenant=" + tenantUuid))
                .anySatisfy(e -> {
                    assertThat(e.get("kind").asString()).isEqualTo("REFRESH_TOKEN_REUSED");
                    assertThat(e.get("subject").asString()).isEqualTo("mona@" + domain);
                    assertThat(e.get("source").asString()).isEqualTo("127.0.0.1");
                });
    }

    @Test
    void letsOnlyOneOfParallelRefreshesWithTheSameTokenSucceed() throws Exception {
        api.createUser(admin, tenantUuid, "rory", PASSWORD, "StandardUser");
        String refreshToken = api.signInTokens(domain, "rory", PASSWORD).get("refresh_token").asString();
        int attempts = 8;
        var pool = Executors.newFixedThreadPool(attempts);
        List<Api.Answer> answers = new ArrayList<>();
        try {
            var start = new CountDownLatch(1);
            List<Future<Api.Answer>> futures = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return refresh(refreshToken);
                }));
            }
            start.countDown();
            for (Future<Api.Answer> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 401));
        List<Api.Answer> won = answers.stream().filter(a -> a.status() == 200).toList();
        assertThat(won).hasSizeLessThanOrEqualTo(1);
        // The replays revoked the session, so even the winner's tokens no longer work.
        for (Api.Answer a : won) {
            assertSessionEnded(a.json());
        }
    }

    @Test
    void refusesGarbageAndWrongKindsOfRefreshTokenWithAProblem() {
        JsonNode tokens = api.signInTokens(null, "admin", TestDatabase.ADMIN_PASSWORD);
        for (String bad : new String[] {"garbage", "x".repeat(600), tokens.get("access_token").asString()}) {
            var a = refresh(bad);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.json().get("detail").asString()).containsIgnoringCase("refresh token");
        }
        var missing = api.post("/api/auth/refresh_token", null, Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("detail").asString()).contains("refresh_token");

        // A refresh token is not a bearer token, and a failed refresh does not spend the real one.
        assertThat(api.get("/api/auth/user", tokens.get("refresh_token").asString()).status()).isEqualTo(401);
        assertThat(refresh(tokens.get("refresh_token").asString()).status()).isEqualTo(200);
    }

    @Test
    void describesTheCurrentUserOfEachRole() {
        api.createUser(admin, tenantUuid, "nora", PASSWORD, "Admin");
        api.createUser(admin, tenantUuid, "otto", PASSWORD, "StandardUser");
        record Case(String token, String role) {
        }
        for (Case c : List.of(new Case(admin, "SystemAdmin"),
                new Case(api.signIn(domain, "nora", PASSWORD), "Admin"),
                new Case(api.signIn(domain, "otto", PASSWORD), "StandardUser"))) {
            var a = api.get("/api/auth/user", c.token());
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().propertyNames()).containsExactlyInAnyOrder("role", "password_verified",
                    "password_force_reset");
            assertThat(a.json().get("role").asString()).isEqualTo(c.role());
            assertThat(a.json().get("password_verified").isBoolean()).isTrue();
            assertThat(a.json().get("password_verified").asBoolean()).isTrue();
            assertThat(a.json().get("password_force_reset").isBoolean()).isTrue();
            assertThat(a.json().get("password_force_reset").asBoolean()).isFalse();
        }
        var anonymous = api.get("/api/auth/user", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
    }

    @Test
    void changingAUsersPasswordEndsItsSessions() {
        JsonNode user = api.createUser(admin, tenantUuid, "pete", PASSWORD, "StandardUser");
        JsonNode tokens = api.signInTokens(domain, "pete", PASSWORD);

        assertThat(api.put("/api/v2/tenants/" + tenantUuid + "/users/" + user.get("uuid").asString(), admin,
                Map.of("password", "Other-Pass-2")).status()).isEqualTo(200);

        assertSessionEnded(tokens);
        assertThat(api.trySignIn(domain, "pete", PASSWORD).status()).isEqualTo(401);
        assertThat(api.trySignIn(domain, "pete", "Other-Pass-2").status()).isEqualTo(200);
    }

    @Test
    void changingAUsersRoleOrDeletingItEndsItsSessions() {
        JsonNode user = api.createUser(admin, tenantUuid, "ruth", PASSWORD, "StandardUser");
        String path = "/api/v2/tenants/" + tenantUuid + "/users/" + user.get("uuid").asString();
        JsonNode beforeRoleChange = api.signInTokens(domain, "ruth", PASSWORD);

        assertThat(api.put(path, admin, Map.of("role", "Admin")).status()).isEqualTo(200);

        assertSessionEnded(beforeRoleChange);
        JsonNode asAdmin = api.signInTokens(domain, "ruth", PASSWORD);
        assertThat(api.get("/api/auth/user", asAdmin.get("access_token").asString()).json().get("role").asString())
                .isEqualTo("Admin");

        assertThat(api.delete(path, admin).status()).isEqualTo(204);

        assertSessionEnded(asAdmin);
        assertThat(api.trySignIn(domain, "ruth", PASSWORD).status()).isEqualTo(401);
    }

    private Api.Answer refresh(String refreshToken) {
        return api.post("/api/auth/refresh_token", null, Map.of("refresh_token", refreshToken));
    }

    /** Neither the access token nor the refresh token of the session works any more. */
    private void assertSessionEnded(JsonNode tokens) {
        var user = api.get("/api/auth/user", tokens.get("access_token").asString());
        assertThat(user.status()).isEqualTo(401);
        assertThat(user.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/api/login", tokens.get("access_token").asString()).status()).isEqualTo(401);
        var again = refresh(tokens.get("refresh_token").asString());
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    /** Every value of every row of a table as one text, to look for a secret anywhere in it. */
    private String textOf(String table) {
        return jdbc.sql("SELECT * FROM " + table).query((rs, i) -> {
            StringBuilder row = new StringBuilder();
            for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                row.append(rs.getString(c)).append('|');
            }
            return row.toString();
        }).list().toString();
    }

    /** Bits carried by a token: base64url or hex, whichever alphabet it is written in. */
    private static int decodedBits(String token) {
        if (token.matches("[0-9a-f]+")) {
            return token.length() * 4;
        }
        assertThat(token).matches("[A-Za-z0-9_-]+");
        return Base64.getUrlDecoder().decode(token).length * 8;
    }
}
