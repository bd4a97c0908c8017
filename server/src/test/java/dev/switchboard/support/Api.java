package dev.switchboard.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client for the server under test, with helpers for the common set-up steps. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public String base() {
        return base;
    }

    /** One HTTP answer: status, headers and the body as text and (when it is JSON) as a tree. */
    public record Answer(int status, HttpResponse<String> raw) {
        Answer withStatus() {
            return new Answer(raw.statusCode(), raw);
        }

        public String text() {
            return raw.body();
        }

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    public Answer get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    public Answer delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    public Answer post(String path, String token, Object body) {
        return send("POST", path, token, body, "application/json");
    }

    public Answer put(String path, String token, Object body) {
        return send("PUT", path, token, body, "application/json");
    }

    /** Sends a body as it is (a String is sent verbatim, anything else as JSON). */
    public Answer send(String method, String path, String token, Object body, String contentType) {
        return sendWithHeaders(method, path, body, contentType,
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    public Answer sendWithHeaders(String method, String path, Object body, String contentType,
                                  Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(text));
        try {
            return new Answer(0, http.send(request.build(), HttpResponse.BodyHandlers.ofString()))
                    .withStatus();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a body without a declared length (chunked transfer encoding). */
    public Answer sendChunked(String method, String path, String token, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        request.method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)));
        try {
            return new Answer(0, http.send(request.build(), HttpResponse.BodyHandlers.ofString())).withStatus();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Signs in on the BAS-IP surface (password sent as its hex MD5) and answers the device token. */
    public String deviceToken(String domain, String username, String password) {
        Answer a = get("/api/v1/login?username=" + username + "@" + domain + "&password="
                + dev.switchboard.auth.SecureTokens.md5Hex(password), null);
        if (a.status() != 200) {
            throw new AssertionError("BAS-IP login of " + username + "@" + domain + " failed: " + a.status() + " " + a.text());
        }
        return a.json().get("token").asString();
    }

    /** A sign-in body; a null domain is left out (the system administrator). */
    public static Map<String, Object> credentials(String domain, String username, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        if (domain != null) {
            body.put("domain", domain);
        }
        return body;
    }

    /** Posts a sign-in and answers whatever the server said. */
    public Answer trySignIn(String domain, String username, String password) {
        return post("/api/auth/sign_in", null, credentials(domain, username, password));
    }

    /** Signs in and answers the whole token object, failing the test if sign-in fails. */
    public JsonNode signInTokens(String domain, String username, String password) {
        Answer a = trySignIn(domain, username, password);
        if (a.status() != 200) {
            throw new AssertionError("sign-in of " + username + "@" + domain + " failed: " + a.status() + " " + a.text());
        }
        return a.json();
    }

    /** Signs in and answers the access token, failing the test if sign-in fails. */
    public String signIn(String domain, String username, String password) {
        return signInTokens(domain, username, password).get("access_token").asString();
    }

    /** Every audit event the token may read (newest first), following the cursor; {@code query} may be "". */
    public List<JsonNode> auditEvents(String token, String query) {
        List<JsonNode> events = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 200; pages++) {
            Answer a = get("/api/v2/audit?limit=500" + (query.isEmpty() ? "" : "&" + query)
                    + (after == null ? "" : "&after=" + after), token);
            if (a.status() != 200) {
                throw new AssertionError("reading the audit log failed: " + a.status() + " " + a.text());
            }
            a.json().get("items").forEach(events::add);
            JsonNode next = a.json().get("next");
            if (next == null || next.isNull()) {
                return events;
            }
            after = next.asString();
        }
        throw new AssertionError("the audit log did not end after 200 pages");
    }

    public String signInAdmin() {
        return signIn(null, "admin", TestDatabase.ADMIN_PASSWORD);
    }

    /** A tenant with a fresh unique domain; answers its JSON. */
    public JsonNode createTenant(String adminToken) {
        String domain = "t" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        Answer a = post("/api/v2/tenants", adminToken, Map.of("name", "Tenant " + domain, "domain", domain));
        if (a.status() != 201) {
            throw new AssertionError("tenant creation failed: " + a.status() + " " + a.text());
        }
        return a.json();
    }

    /** A user in the tenant; answers its JSON. */
    public JsonNode createUser(String token, String tenantUuid, String username, String password, String role) {
        Answer a = post("/api/v2/tenants/" + tenantUuid + "/users", token,
                Map.of("username", username, "password", password, "role", role));
        if (a.status() != 201) {
            throw new AssertionError("user creation failed: " + a.status() + " " + a.text());
        }
        return a.json();
    }
}
