package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.support.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bad input on every POST of the PortSIP-compatible surface that takes a body: an RFC 9457 problem
 * with a detail a person can act on, and nothing changes (no token, no audit event, no throttle count).
 */
@SwitchboardTest
class BadInputTest {

    static final List<String> BODY_POSTS = List.of("/api/auth/sign_in", "/api/login", "/api/auth/refresh_token");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void answersMalformedJsonArraysAndWrongTypesWith400AndChangesNothing() {
        String password = TestDatabase.ADMIN_PASSWORD;
        List<String> bodies = List.of(
                "{\"username\":\"admin\",",
                "not json at all",
                "[{\"username\":\"admin\",\"password\":\"" + password + "\"}]",
                "[]",
                "\"admin\"",
                "null",
                "42",
                "{\"username\":5,\"password\":\"" + password + "\"}",
                "{\"username\":\"admin\",\"password\":12345678}",
                "{\"username\":\"admin\",\"password\":true}",
                "{\"username\":[\"admin\"],\"password\":\"" + password + "\"}",
                "{\"username\":{\"name\":\"admin\"},\"password\":\"" + password + "\"}",
                "{\"username\":\"admin\",\"password\":\"" + password + "\",\"domain\":7}",
                "{\"refresh_token\":12345}",
                "{\"refresh_token\":[\"x\"]}",
                // A key given twice: one body, two readings (first or last value), so refused.
                "{\"username\":\"nobody\",\"username\":\"admin\",\"password\":\"" + password + "\"}");
        long before = changeCount();
        for (String path : BODY_POSTS) {
            for (String body : bodies) {
                var a = api.send("POST", path, null, body, "application/json");
                String what = path + " " + body;
                // A body that is well-formed for one call may simply lack the fields of another.
                assertThat(a.status()).as(what).isEqualTo(400);
                assertThat(a.contentType()).as(what).startsWith("application/problem+json");
                assertThat(a.json().get("status").asInt()).isEqualTo(400);
                assertThat(a.json().get("detail").asString()).as(what).isNotBlank();
                assertThat(a.text()).as(what).doesNotContain(password);
            }
        }
        assertThat(changeCount()).isEqualTo(before);
    }

    @Test
    void namesTheFieldOfTheWrongType() {
        var a = api.send("POST", "/api/auth/sign_in", null, "{\"username\":\"admin\",\"password\":12345678}",
                "application/json");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("detail").asString()).contains("password");

        var b = api.send("POST", "/api/auth/refresh_token", null, "{\"refresh_token\":12345}", "application/json");
        assertThat(b.status()).isEqualTo(400);
        assertThat(b.json().get("detail").asString()).contains("refresh_token");
    }

    @Test
    void aBodyWithoutContentTypeIsReadAsJson() {
        // requests.post(url, data=json.dumps(...)) sends no Content-Type: judged on what it holds.
        var signIn = api.send("POST", "/api/auth/sign_in", null,
                "{\"username\":\"admin\",\"password\":\"" + TestDatabase.ADMIN_PASSWORD + "\"}", null);
        assertThat(signIn.status()).as(signIn.text()).isEqualTo(200);
        assertThat(signIn.json().get("access_token").asString()).isNotBlank();
        var malformed = api.send("POST", "/api/auth/sign_in", null, "{\"username\":", null);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
    }

    @Test
    void saysWhenTheBodyIsNotJsonOrNotAnObject() {
        var malformed = api.send("POST", "/api/auth/sign_in", null, "{\"username\":", "application/json");
        assertThat(malformed.json().get("detail").asString()).containsIgnoringCase("JSON");
        var array = api.send("POST", "/api/auth/sign_in", null, "[]", "application/json");
        assertThat(array.json().get("detail").asString()).containsIgnoringCase("object");
    }

    @Test
    void answersAMissingBodyOrAnotherContentTypeWithAProblem() {
        long before = changeCount();
        for (String path : BODY_POSTS) {
            var empty = api.send("POST", path, null, null, "application/json");
            assertThat(empty.status()).as(path).isEqualTo(400);
            assertThat(empty.contentType()).startsWith("application/problem+json");
            assertThat(empty.json().get("detail").asString()).isNotBlank();

            var form = api.send("POST", path, null, "username=admin&password=x", "application/x-www-form-urlencoded");
            assertThat(form.status()).as(path).isEqualTo(415);
            assertThat(form.contentType()).startsWith("application/problem+json");
            assertThat(form.json().get("detail").asString()).contains("application/json");
        }
        assertThat(changeCount()).isEqualTo(before);
    }

    @Test
    void refusesMissingGarbageAndRevokedTokensWithAProblem() {
        String token = api.signInAdmin();
        assertThat(api.post("/api/auth/sign_out", token, null).status()).isEqualTo(200);
        for (String bad : new String[] {null, "garbage", "x".repeat(600), token}) {
            for (var a : List.of(api.get("/api/auth/user", bad), api.get("/api/login", bad),
                    api.post("/api/auth/sign_out", bad, null), api.post("/api/logout", bad, null),
                    api.get("/api/v2/audit", bad))) {
                assertThat(a.status()).isEqualTo(401);
                assertThat(a.contentType()).startsWith("application/problem+json");
                assertThat(a.json().get("detail").asString()).containsIgnoringCase("token");
            }
        }
        var wrongScheme = api.sendWithHeaders("GET", "/api/auth/user", null, null,
                Map.of("Authorization", "Basic YWRtaW46eA=="));
        assertThat(wrongScheme.status()).isEqualTo(401);
        assertThat(wrongScheme.contentType()).startsWith("application/problem+json");
    }

    /** Rows that a sign-in, refresh or refusal would add or change. */
    private long changeCount() {
        long tokens = jdbc.sql("SELECT COUNT(*) FROM auth_token").query(Long.class).single();
        long audit = jdbc.sql("SELECT COUNT(*) FROM audit_event").query(Long.class).single();
        long throttle = jdbc.sql("SELECT COALESCE(SUM(failures), 0) + COUNT(*) FROM login_throttle")
                .query(Long.class).single();
        return tokens * 1_000_000 + audit * 1_000 + throttle;
    }
}
