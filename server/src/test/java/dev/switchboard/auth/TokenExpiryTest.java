package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.support.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Access tokens expire after the configured lifetime (SPEC 2); the refresh token outlives them. */
@SwitchboardTest
@TestPropertySource(properties = "switchboard.auth.access-token-ttl=2s")
class TokenExpiryTest {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void refusesAnAccessTokenOnceItHasExpired() {
        JsonNode tokens = api.signInTokens(null, "admin", TestDatabase.ADMIN_PASSWORD);
        SignInTest.assertTokenObject(tokens, 2);
        String access = tokens.get("access_token").asString();
        assertThat(api.get("/api/auth/user", access).status()).isEqualTo(200);

        Eventually.within(Duration.ofSeconds(10), "the access token expires",
                () -> api.get("/api/auth/user", access).status() == 401);

        var expired = api.get("/api/auth/user", access);
        assertThat(expired.contentType()).startsWith("application/problem+json");
        assertThat(expired.json().get("detail").asString()).containsIgnoringCase("token");
        assertThat(api.get("/api/login", access).status()).isEqualTo(401);
        assertThat(api.post("/api/logout", access, null).status()).isEqualTo(401);

        var renewed = api.post("/api/auth/refresh_token", null,
                Map.of("refresh_token", tokens.get("refresh_token").asString()));
        assertThat(renewed.status()).isEqualTo(200);
        SignInTest.assertTokenObject(renewed.json(), 2);
        assertThat(api.get("/api/auth/user", renewed.json().get("access_token").asString()).status()).isEqualTo(200);
    }

    @Test
    void legacyLoginReportsTheConfiguredLifetime() {
        var a = api.post("/api/login", null, Api.credentials(null, "admin", TestDatabase.ADMIN_PASSWORD));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("expires_in").asLong()).isBetween(1L, 2L);
        String access = a.json().get("access_token").asString();
        Eventually.within(Duration.ofSeconds(10), "the legacy token expires",
                () -> api.get("/api/login", access).status() == 401);
    }
}
