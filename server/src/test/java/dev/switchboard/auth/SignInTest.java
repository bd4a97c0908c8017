package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.TenantFixture;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.support.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** POST /api/auth/sign_in (SPEC 3.1): the token object, and every way a sign-in is refused. */
@SwitchboardTest
class SignInTest extends TenantFixture {

    @Autowired
    JdbcClient jdbc;

    @Test
    void signsInTheSystemAdministratorWithoutADomain() {
        var a = api.trySignIn(null, "admin", TestDatabase.ADMIN_PASSWORD);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        assertTokenObject(a.json(), 1800);
        assertThat(a.text()).doesNotContain(TestDatabase.ADMIN_PASSWORD);
        String token = a.json().get("access_token").asString();
        assertThat(api.get("/api/auth/user", token).json().get("role").asString()).isEqualTo("SystemAdmin");
    }

    @Test
    void signsInATenantUserWithItsDomainInAnyCase() {
        api.createUser(admin, tenantUuid, "carol", PASSWORD, "StandardUser");

        for (String spelled : List.of(domain, domain.toUpperCase(), capitalize(domain))) {
            var a = api.trySignIn(spelled, "carol", PASSWORD);
            assertThat(a.status()).as(spelled).isEqualTo(200);
            assertTokenObject(a.json(), 1800);
            String token = a.json().get("access_token").asString();
            assertThat(api.get("/api/auth/user", token).json().get("role").asString()).isEqualTo("StandardUser");
        }
    }

    @Test
    void issuesADifferentSessionOnEverySignIn() {
        JsonNode first = api.signInTokens(null, "admin", TestDatabase.ADMIN_PASSWORD);
        JsonNode second = api.signInTokens(null, "admin", TestDatabase.ADMIN_PASSWORD);

        assertThat(second.get("access_token").asString()).isNotEqualTo(first.get("access_token").asString());
        assertThat(second.get("refresh_token").asString()).isNotEqualTo(first.get("refresh_token").asString());
        assertThat(first.get("access_token").asString()).isNotEqualTo(first.get("refresh_token").asString());
    }

    @Test
    void refusesMissingUsernameOrPasswordWithAProblemNamingTheField() {
        api.createUser(admin, tenantUuid, "dave", PASSWORD, "StandardUser");
        record Case(String body, String field) {
        }
        for (Case c : List.of(
                new Case("{\"password\":\"" + PASSWORD + "\",\"domain\":\"" + domain + "\"}", "username"),
                new Case("{\"username\":\"\",\"password\":\"" + PASSWORD + "\",\"domain\":\"" + domain + "\"}",
                        "username"),
                new Case("{\"username\":null,\"password\":\"" + PASSWORD + "\",\"domain\":\"" + domain + "\"}",
                        "username"),
                new Case("{\"username\":\"dave\",\"domain\":\"" + domain + "\"}", "password"),
                new Case("{\"username\":\"dave\",\"password\":\"\",\"domain\":\"" + domain + "\"}", "password"),
                new Case("{}", "username"))) {
            var a = api.send("POST", "/api/auth/sign_in", null, c.body(), "application/json");
            assertThat(a.status()).as(c.body()).isEqualTo(400);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.json().get("status").asInt()).isEqualTo(400);
            assertThat(a.json().get("detail").asString()).as(c.body()).contains(c.field());
            assertThat(a.json().get("field").asString()).isEqualTo(c.field());
        }
    }

    @Test
    void answersEveryWrongCredentialWithTheSame401() {
        api.createUser(admin, tenantUuid, "erin", PASSWORD, "StandardUser");
        JsonNode other = api.createTenant(admin);
        String otherDomain = other.get("domain").asString();
        api.createUser(admin, other.get("uuid").asString(), "frank", PASSWORD, "StandardUser");
        api.put("/api/v2/tenants/" + other.get("uuid").asString(), admin, Map.of("enabled", false));

        var wrongPassword = api.trySignIn(domain, "erin", "Wrong-Pass-1");
        var unknownUser = api.trySignIn(domain, "nobody", PASSWORD);
        var unknownDomain = api.trySignIn("unknown-" + UUID.randomUUID() + ".example.com", "erin", PASSWORD);
        var disabledTenant = api.trySignIn(otherDomain, "frank", PASSWORD);
        var wrongTenant = api.trySignIn(otherDomain, "erin", PASSWORD);
        var tenantUserWithoutDomain = api.trySignIn(null, "erin", PASSWORD);
        var adminWithADomain = api.trySignIn(domain, "admin", TestDatabase.ADMIN_PASSWORD);

        for (var a : List.of(wrongPassword, unknownUser, unknownDomain, disabledTenant, wrongTenant,
                tenantUserWithoutDomain, adminWithADomain)) {
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.text()).isEqualTo(wrongPassword.text());
            assertThat(a.text()).doesNotContain(PASSWORD).doesNotContain("Wrong-Pass-1");
        }
        assertThat(wrongPassword.json().get("detail").asString()).isNotBlank();
    }

    @Test
    void answersOverlongNamesAndDomainsLikeAnyWrongCredential() {
        var reference = api.trySignIn(domain, "nobody-at-all", PASSWORD);
        for (var a : List.of(
                api.trySignIn(domain, "u".repeat(1000), PASSWORD),
                api.trySignIn("d".repeat(1000) + ".example.com", "someone", PASSWORD),
                api.trySignIn("d".repeat(1000) + ".example.com", "u".repeat(1000), PASSWORD))) {
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.text()).isEqualTo(reference.text());
        }
    }

    @Test
    void disablingATenantEndsItsSessionsAndSignInsUntilEnabledAgain() {
        api.createUser(admin, tenantUuid, "gina", PASSWORD, "Admin");
        JsonNode tokens = api.signInTokens(domain, "gina", PASSWORD);
        String access = tokens.get("access_token").asString();
        assertThat(api.get("/api/auth/user", access).status()).isEqualTo(200);

        assertThat(api.put("/api/v2/tenants/" + tenantUuid, admin, Map.of("enabled", false)).status()).isEqualTo(200);

        assertThat(api.trySignIn(domain, "gina", PASSWORD).status()).isEqualTo(401);
        assertThat(api.get("/api/auth/user", access).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/refresh_token", null,
                Map.of("refresh_token", tokens.get("refresh_token").asString())).status()).isEqualTo(401);

        assertThat(api.put("/api/v2/tenants/" + tenantUuid, admin, Map.of("enabled", true)).status()).isEqualTo(200);
        assertThat(api.trySignIn(domain, "gina", PASSWORD).status()).isEqualTo(200);
        // The sessions ended for good: enabling the tenant again does not revive them.
        assertThat(api.get("/api/auth/user", access).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/refresh_token", null,
                Map.of("refresh_token", tokens.get("refresh_token").asString())).status()).isEqualTo(401);
    }

    @Test
    void aTenantUserChangesItsOwnPasswordWithTheCurrentOne() {
        api.createUser(admin, tenantUuid, "olga", PASSWORD, "StandardUser");
        String token = api.signIn(domain, "olga", PASSWORD);
        assertThat(api.post("/api/v2/me/password", null, Map.of("current_password", PASSWORD,
                "new_password", "Brand-New-Pass-2")).status()).isEqualTo(401);
        var missing = api.post("/api/v2/me/password", token, Map.of("new_password", "Brand-New-Pass-2"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(api.post("/api/v2/me/password", token, Map.of("current_password", PASSWORD,
                "new_password", "Brand-New-Pass-2")).status()).isEqualTo(204);
        assertThat(api.get("/api/auth/user", token).status()).isEqualTo(401);
        assertThat(api.trySignIn(domain, "olga", PASSWORD).status()).isEqualTo(401);
        assertThat(api.trySignIn(domain, "olga", "Brand-New-Pass-2").status()).isEqualTo(200);
    }

    @Test
    void ignoresUnknownFieldsOfTheSignInBody() {
        api.createUser(admin, tenantUuid, "hank", PASSWORD, "StandardUser");
        var a = api.send("POST", "/api/auth/sign_in", null,
                "{\"username\":\"hank\",\"password\":\"" + PASSWORD + "\",\"domain\":\"" + domain
                        + "\",\"remember_me\":true}", "application/json");
        assertThat(a.status()).isEqualTo(200);
    }

    /** The exact token object of SPEC 3.1: four fields, a Bearer type and the configured lifetime. */
    static void assertTokenObject(JsonNode json, long expiresIn) {
        assertThat(json.propertyNames()).containsExactlyInAnyOrder("token_type", "access_token", "refresh_token",
                "expires_in");
        assertThat(json.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(json.get("access_token").isString()).isTrue();
        assertThat(json.get("refresh_token").isString()).isTrue();
        assertThat(json.get("access_token").asString()).isNotBlank();
        assertThat(json.get("refresh_token").asString()).isNotBlank();
        assertThat(json.get("expires_in").isIntegralNumber()).isTrue();
        assertThat(json.get("expires_in").asLong()).isEqualTo(expiresIn);
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
