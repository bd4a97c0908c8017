package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.support.Api;
import dev.switchboard.support.TenantFixture;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.support.TestDatabase;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** PortSIP's legacy calls (SPEC 3.1): POST and GET /api/login, POST /api/logout. */
@SwitchboardTest
class LegacyLoginTest extends TenantFixture {

    @Test
    void logsInTheSystemAdministratorWithoutADomain() {
        OffsetDateTime before = OffsetDateTime.now();
        var a = api.post("/api/login", null, Api.credentials(null, "admin", TestDatabase.ADMIN_PASSWORD));

        assertThat(a.status()).isEqualTo(200);
        assertLoginObject(a.json(), "SystemAdmin", before);
        assertThat(a.text()).doesNotContain(TestDatabase.ADMIN_PASSWORD);
        var user = api.get("/api/auth/user", a.json().get("access_token").asString());
        assertThat(user.status()).isEqualTo(200);
        assertThat(user.json().get("role").asString()).isEqualTo("SystemAdmin");
    }

    @Test
    void logsInATenantUserWithItsDomain() {
        api.createUser(admin, tenantUuid, "quinn", PASSWORD, "Admin");
        api.createUser(admin, tenantUuid, "rita", PASSWORD, "StandardUser");
        OffsetDateTime before = OffsetDateTime.now();

        var adminOfTenant = api.post("/api/login", null, Api.credentials(domain.toUpperCase(), "quinn", PASSWORD));
        var standard = api.post("/api/login", null, Api.credentials(domain, "rita", PASSWORD));

        assertThat(adminOfTenant.status()).isEqualTo(200);
        assertLoginObject(adminOfTenant.json(), "Admin", before);
        assertThat(standard.status()).isEqualTo(200);
        assertLoginObject(standard.json(), "StandardUser", before);
    }

    @Test
    void answersTheSameObjectForTheCurrentToken() {
        api.createUser(admin, tenantUuid, "sam", PASSWORD, "StandardUser");
        JsonNode login = api.post("/api/login", null, Api.credentials(domain, "sam", PASSWORD)).json();
        String token = login.get("access_token").asString();

        var current = api.get("/api/login", token);

        assertThat(current.status()).isEqualTo(200);
        assertThat(current.json().propertyNames()).containsExactlyInAnyOrder("access_token", "expires_at",
                "expires_in", "role");
        assertThat(current.json().get("access_token").asString()).isEqualTo(token);
        assertThat(current.json().get("role").asString()).isEqualTo("StandardUser");
        assertThat(OffsetDateTime.parse(current.json().get("expires_at").asString()).toInstant())
                .isEqualTo(OffsetDateTime.parse(login.get("expires_at").asString()).toInstant());
        assertThat(current.json().get("expires_at").asString()).isEqualTo(login.get("expires_at").asString());
        assertThat(current.json().get("expires_in").asLong()).isBetween(1700L, 1800L);
    }

    @Test
    void describesATokenFromSignInToo() {
        JsonNode tokens = api.signInTokens(null, "admin", TestDatabase.ADMIN_PASSWORD);
        var current = api.get("/api/login", tokens.get("access_token").asString());
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.json().get("access_token").asString()).isEqualTo(tokens.get("access_token").asString());
        assertThat(current.json().get("role").asString()).isEqualTo("SystemAdmin");
    }

    @Test
    void refusesTheCurrentTokenCallWithoutAValidToken() {
        for (String bad : new String[] {null, "garbage"}) {
            var a = api.get("/api/login", bad);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.json().get("detail").asString()).isNotBlank();
        }
    }

    @Test
    void refusesWrongCredentialsWith401AndMissingOnesWith400() {
        api.createUser(admin, tenantUuid, "tina", PASSWORD, "StandardUser");
        var wrong = api.post("/api/login", null, Api.credentials(domain, "tina", "Wrong-Pass-1"));
        var unknown = api.post("/api/login", null, Api.credentials(domain, "nobody", PASSWORD));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(unknown.text()).isEqualTo(wrong.text());
        assertThat(wrong.text()).doesNotContain("Wrong-Pass-1");

        var missing = api.post("/api/login", null, Api.credentials(domain, "tina", null));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("detail").asString()).contains("password");
    }

    @Test
    void logsOutWithNoContentAndTheTokenStopsWorking() {
        JsonNode login = api.post("/api/login", null, Api.credentials(null, "admin", TestDatabase.ADMIN_PASSWORD))
                .json();
        String token = login.get("access_token").asString();

        var out = api.post("/api/logout", token, null);

        assertThat(out.status()).isEqualTo(204);
        assertThat(out.text()).isEmpty();
        assertThat(api.get("/api/login", token).status()).isEqualTo(401);
        assertThat(api.post("/api/logout", token, null).status()).isEqualTo(401);
        assertThat(api.get("/api/auth/user", admin).status()).isEqualTo(200);
    }

    private static void assertLoginObject(JsonNode json, String role, OffsetDateTime before) {
        assertThat(json.propertyNames()).containsExactlyInAnyOrder("access_token", "expires_at", "expires_in",
                "role");
        assertThat(json.get("access_token").asString()).isNotBlank();
        assertThat(json.get("role").asString()).isEqualTo(role);
        assertThat(json.get("expires_in").isIntegralNumber()).isTrue();
        assertThat(json.get("expires_in").asLong()).isBetween(1795L, 1800L);
        OffsetDateTime expiresAt = OffsetDateTime.parse(json.get("expires_at").asString());
        assertThat(expiresAt).isCloseTo(before.plusSeconds(1800), within(10, ChronoUnit.SECONDS));
    }
}
