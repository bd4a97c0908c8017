package dev.switchboard.auth.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import com.nimbusds.oauth2.sdk.TokenRequest;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole Microsoft sign-in against a real OpenID Connect server (mock-oauth2-server) on a
 * free port: our sign-in URL, the IdP's redirect to our callback, the code exchange at its
 * token endpoint, ID token checks against its JWKS, and the one-time code exchange.
 */
@SwitchboardTest
class MicrosoftSignInTest {

    static final String ISSUER_ID = "entra";
    static final String CLIENT_ID = "switchboard-client";
    static final String CLIENT_SECRET = "Client-Secret-Never-Shown-42";
    static final String CALLBACK_PREFIX = "https://app.example.com/sso";

    static MockOAuth2Server idp;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    Api api;
    String admin;
    String tenantUuid;
    String domain;
    final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startIdp() {
        idp = new MockOAuth2Server();
        idp.start();
    }

    @AfterAll
    static void stopIdp() {
        idp.shutdown();
    }

    @BeforeEach
    void setUp() {
        api = new Api(port);
        admin = api.signInAdmin();
        var tenant = api.createTenant(admin);
        tenantUuid = tenant.get("uuid").asString();
        domain = tenant.get("domain").asString();
        createUserWithEmail("alice", "Alice@Contoso.example");
        var put = api.put(ssoPath(), admin, Map.of(
                "issuer_uri", issuer(),
                "client_id", CLIENT_ID,
                "client_secret", CLIENT_SECRET,
                "callback_url_prefixes", List.of(CALLBACK_PREFIX, "http://localhost:3000/")));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }

    static String s256(String verifier) {
        try {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void signsInAKnownUserAndExchangesTheOneTimeCodeOnce() {
        String url = startSignIn(CALLBACK_PREFIX + "/done?app=1");
        Map<String, String> query = query(URI.create(url));
        assertThat(url).startsWith(idp.authorizationEndpointUrl(ISSUER_ID).toString());
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                .containsEntry("scope", "openid profile email").containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", api.base() + "/api/auth/callback/microsoft")
                .containsKeys("state", "nonce", "code_challenge");
        // The PKCE verifier waits sealed under the secret key, not in clear: whatever is stored does
        // not hash to the challenge the IdP was given (it would redeem a code caught on its way back).
        String stored = jdbc.sql("SELECT code_verifier FROM sso_request").query(String.class).list().stream()
                .filter(v -> s256(v).equals(query.get("code_challenge"))).findFirst().orElse(null);
        assertThat(stored).isNull();
        idp.enqueueCallback(identity(Map.of("preferred_username", "alice@contoso.example")));

        String landing = completeAtIdp(url);
        assertThat(landing).startsWith(CALLBACK_PREFIX + "/done?app=1&code=");
        String code = query(URI.create(landing)).get("code");

        var token = api.post("/api/auth/token", null, Map.of("code", code, "extra", "ignored"));
        assertThat(token.status()).as(token.text()).isEqualTo(200);
        assertThat(token.json().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.json().get("refresh_token").asString()).isNotBlank();
        assertThat(token.json().get("expires_in").asLong()).isPositive();
        var me = api.get("/api/auth/user", token.json().get("access_token").asString());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("password_verified").asBoolean()).isFalse();

        var replay = api.post("/api/auth/token", null, Map.of("code", code));
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.contentType()).startsWith("application/problem+json");
    }

    @Test
    void refusesAReplayedStateAtTheCallback() {
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        idp.enqueueCallback(identity(Map.of("email", "alice@contoso.example")));
        String ourCallback = idpRedirect(url);
        assertThat(get(ourCallback).statusCode()).isEqualTo(302);
        var again = get(ourCallback);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        var unknown = api.get("/api/auth/callback/microsoft?code=x&state=never-issued", null);
        assertThat(unknown.status()).isEqualTo(400);
    }

    @Test
    void refusesAnIdTokenForAnotherAudience() {
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        idp.enqueueCallback(identity(Map.of("email", "alice@contoso.example", "aud", List.of("another-app"))));
        assertDenied(completeAtIdp(url));
        assertThat(auditDetails()).anyMatch(d -> d.contains("audience"));
    }

    @Test
    void refusesAnIdTokenWhoseNonceIsNotTheOneOfThisSignIn() {
        // The authorization request reaching the IdP carries another nonce than the one we stored
        // for its state, as when a request of another party's making is completed with our state.
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        String nonce = query(URI.create(url)).get("nonce");
        String forged = url.replace("nonce=" + nonce, "nonce=" + "forged-" + UUID.randomUUID());
        idp.enqueueCallback(identity(Map.of("email", "alice@contoso.example")));
        assertDenied(completeAtIdp(forged));
        assertThat(auditDetails()).anyMatch(d -> d.contains("nonce"));
    }

    @Test
    void refusesTheCodeOfOneSignInWithTheStateOfAnother() {
        String first = startSignIn(CALLBACK_PREFIX + "/first");
        String second = startSignIn(CALLBACK_PREFIX + "/second");
        idp.enqueueCallback(identity(Map.of("email", "alice@contoso.example")));
        String codeOfFirst = query(URI.create(idpRedirect(first))).get("code");
        String stateOfSecond = query(URI.create(second)).get("state");
        var answer = get(api.base() + "/api/auth/callback/microsoft?code=" + codeOfFirst + "&state=" + stateOfSecond);
        assertThat(answer.statusCode()).isEqualTo(302);
        String landing = answer.headers().firstValue("Location").orElseThrow();
        assertThat(landing).startsWith(CALLBACK_PREFIX + "/second?error=");
        assertThat(query(URI.create(landing))).doesNotContainKey("code");
    }

    @Test
    void sendsAnUnknownIdentityBackWithAccessDeniedAndAudits() {
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        idp.enqueueCallback(identity(Map.of("email", "mallory@contoso.example",
                "preferred_username", "mallory@contoso.example")));
        assertDenied(completeAtIdp(url));
        var events = api.get("/api/v2/audit?tenant=" + tenantUuid, admin);
        assertThat(events.text()).contains("SSO_FAILED").contains("mallory@contoso.example");
    }

    @Test
    void anEmailTheIdpCallsUnverifiedNamesNobody() {
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        idp.enqueueCallback(identity(Map.of("email", "alice@contoso.example", "email_verified", false)));
        assertDenied(completeAtIdp(url));
    }

    @Test
    void preferredUsernameDoesNotStandInForAnEmailRefusedOrUnknown() {
        // An IdP where users choose their own username: the address is not theirs, the name is not either.
        for (Map<String, Object> claims : List.<Map<String, Object>>of(
                Map.of("email", "alice@contoso.example", "email_verified", false,
                        "preferred_username", "alice@contoso.example"),
                Map.of("email", "mallory@contoso.example", "email_verified", true,
                        "preferred_username", "alice@contoso.example"),
                Map.of("email", "alice@contoso.example", "email_verified", "no"))) {
            String url = startSignIn(CALLBACK_PREFIX + "/done");
            idp.enqueueCallback(identity(claims));
            assertDenied(completeAtIdp(url));
        }
        // The same name with the same verified address is the user.
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        idp.enqueueCallback(identity(Map.of("email", "alice@contoso.example", "email_verified", true,
                "preferred_username", "alice@contoso.example")));
        assertThat(completeAtIdp(url)).startsWith(CALLBACK_PREFIX + "/done?code=");
    }

    @Test
    void anIdTokenForSeveralAudiencesMustNameUsAsItsAuthorizedParty() {
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        DefaultOAuth2TokenCallback identity = identity(Map.of("email", "alice@contoso.example",
                "aud", List.of("another-app", CLIENT_ID)));
        // The IdP writes its own azp (the client that asked); this one says another app asked.
        idp.enqueueCallback(new OAuth2TokenCallback() {
            public String issuerId() {
                return identity.issuerId();
            }

            public String subject(TokenRequest request) {
                return identity.subject(request);
            }

            public String typeHeader(TokenRequest request) {
                return identity.typeHeader(request);
            }

            public List<String> audience(TokenRequest request) {
                return identity.audience(request);
            }

            public Map<String, Object> addClaims(TokenRequest request) {
                Map<String, Object> claims = new HashMap<>(identity.addClaims(request));
                claims.put("azp", "another-app");
                return claims;
            }

            public long tokenExpiry() {
                return identity.tokenExpiry();
            }
        });
        assertDenied(completeAtIdp(url));
        assertThat(auditDetails()).anyMatch(d -> d.contains("azp"));

        // Issued to us, for several audiences: accepted.
        url = startSignIn(CALLBACK_PREFIX + "/done");
        idp.enqueueCallback(identity(Map.of("email", "alice@contoso.example", "aud", List.of("another-app", CLIENT_ID))));
        assertThat(completeAtIdp(url)).startsWith(CALLBACK_PREFIX + "/done?code=");
    }

    @Test
    void aOneTimeCodeStartsNoSessionOnceItsTenantIsDisabled() {
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        idp.enqueueCallback(identity(Map.of("email", "alice@contoso.example")));
        String code = query(URI.create(completeAtIdp(url))).get("code");
        assertThat(api.put("/api/v2/tenants/" + tenantUuid, admin, Map.of("enabled", false)).status()).isEqualTo(200);
        var refused = api.post("/api/auth/token", null, Map.of("code", code));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(api.put("/api/v2/tenants/" + tenantUuid, admin, Map.of("enabled", true)).status()).isEqualTo(200);
        assertThat(api.post("/api/auth/token", null, Map.of("code", code)).status()).isEqualTo(400);
    }

    @Test
    void anIssuerWrittenWithATrailingSlashStillSignsIn() {
        var put = api.put(ssoPath(), admin, Map.of("issuer_uri", issuer() + "/", "client_id", CLIENT_ID,
                "callback_url_prefixes", List.of(CALLBACK_PREFIX)));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        idp.enqueueCallback(identity(Map.of("email", "alice@contoso.example")));
        assertThat(completeAtIdp(url)).startsWith(CALLBACK_PREFIX + "/done?code=");
    }

    @Test
    void passesAnIdpErrorBackToTheClient() {
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        String state = query(URI.create(url)).get("state");
        var answer = get(api.base() + "/api/auth/callback/microsoft?error=consent_required&state=" + state);
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location").orElseThrow())
                .startsWith(CALLBACK_PREFIX + "/done?error=consent_required");
    }

    @Test
    void refusesCallbackUrlsOutsideTheAllowedPrefixes() {
        for (String callback : new String[] {"https://evil.example.net/sso", "https://app.example.com.evil.net/sso",
                "https://app.example.com/other", "javascript:alert(1)", "ftp://app.example.com/sso", ""}) {
            var a = api.post("/api/auth/sign_in/microsoft", null, Map.of("domain", domain, "callback_url", callback));
            assertThat(a.status()).as(callback).isEqualTo(400);
            assertThat(a.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.post("/api/auth/sign_in/microsoft", null,
                Map.of("domain", domain, "callback_url", "http://localhost:3000/cb")).status()).isEqualTo(200);
    }

    @Test
    void refusesUnknownProvidersDomainsAndTenantsWithoutSso() {
        var provider = api.post("/api/auth/sign_in/google", null,
                Map.of("domain", domain, "callback_url", CALLBACK_PREFIX + "/x"));
        assertThat(provider.status()).isEqualTo(400);
        assertThat(provider.json().get("detail").asString()).contains("provider");
        assertThat(api.post("/api/auth/sign_in/microsoft", null,
                Map.of("domain", "nowhere.example.org", "callback_url", CALLBACK_PREFIX + "/x")).status())
                .isEqualTo(400);
        String other = api.createTenant(admin).get("domain").asString();
        var notConfigured = api.post("/api/auth/sign_in/microsoft", null,
                Map.of("domain", other, "callback_url", CALLBACK_PREFIX + "/x"));
        assertThat(notConfigured.status()).isEqualTo(400);
        assertThat(notConfigured.json().get("detail").asString()).contains("not configured");
        assertThat(api.post("/api/auth/token", null, Map.of("code", "made-up")).status()).isEqualTo(400);
    }

    @Test
    void redirectsTheFormSignInToTheIdpWithTheFirstPrefixAsCallback() {
        var answer = api.send("POST", "/api/login/by_microsoft", null, "domain=" + domain,
                "application/x-www-form-urlencoded");
        assertThat(answer.status()).isEqualTo(302);
        String location = answer.header("Location");
        assertThat(location).startsWith(idp.authorizationEndpointUrl(ISSUER_ID).toString());
        idp.enqueueCallback(identity(Map.of("upn", "alice@contoso.example")));
        assertThat(completeAtIdp(location)).startsWith(CALLBACK_PREFIX + "?code=");
        assertThat(api.send("POST", "/api/login/by_microsoft", null, "domain=unknown.example.org",
                "application/x-www-form-urlencoded").status()).isEqualTo(400);
    }

    @Test
    void neverShowsTheClientSecret() {
        var read = api.get(ssoPath(), admin);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("client_secret_set").asBoolean()).isTrue();
        assertThat(read.json().get("client_id").asString()).isEqualTo(CLIENT_ID);
        assertThat(read.text()).doesNotContain(CLIENT_SECRET);
        String stored = jdbc.sql("SELECT client_secret_enc FROM tenant_sso WHERE tenant_id = ?")
                .param(UUID.fromString(tenantUuid)).query(String.class).single();
        assertThat(stored).doesNotContain(CLIENT_SECRET);
        String url = startSignIn(CALLBACK_PREFIX + "/done");
        assertThat(url).doesNotContain(CLIENT_SECRET);
        assertThat(api.get("/api/info?domain=" + domain, null).json().get("enable_ms365_integration").asBoolean())
                .isTrue();
    }

    // --- helpers -------------------------------------------------------------------------

    private String issuer() {
        return idp.issuerUrl(ISSUER_ID).toString();
    }

    private String ssoPath() {
        return "/api/v2/tenants/" + tenantUuid + "/sso/microsoft";
    }

    private void createUserWithEmail(String username, String email) {
        var a = api.post("/api/v2/tenants/" + tenantUuid + "/users", admin,
                Map.of("username", username, "password", "User-Secret-1", "role", "StandardUser", "email", email));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
    }

    private static DefaultOAuth2TokenCallback identity(Map<String, Object> claims) {
        return new DefaultOAuth2TokenCallback(ISSUER_ID, "subject-" + UUID.randomUUID(), "JWT", null, claims, 3600);
    }

    private String startSignIn(String callbackUrl) {
        var a = api.post("/api/auth/sign_in/microsoft", null, Map.of("domain", domain, "callback_url", callbackUrl));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        return a.json().get("url").asString();
    }

    /** Follows the authorization URL at the IdP, which answers 302 to our callback with code and state. */
    private String idpRedirect(String authorizationUrl) {
        var atIdp = get(authorizationUrl);
        assertThat(atIdp.statusCode()).as(atIdp.body()).isEqualTo(302);
        String ourCallback = atIdp.headers().firstValue("Location").orElseThrow();
        assertThat(ourCallback).startsWith(api.base() + "/api/auth/callback/microsoft?");
        return ourCallback;
    }

    /** The whole browser round trip; answers where our callback sends the browser. */
    private String completeAtIdp(String authorizationUrl) {
        var back = get(idpRedirect(authorizationUrl));
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        return back.headers().firstValue("Location").orElseThrow();
    }

    private static void assertDenied(String landing) {
        assertThat(landing).startsWith(CALLBACK_PREFIX + "/done?error=access_denied&error_description=");
        assertThat(query(URI.create(landing))).doesNotContainKey("code");
    }

    private List<String> auditDetails() {
        return jdbc.sql("SELECT detail FROM audit_event WHERE kind = 'SSO_FAILED' AND tenant_id = ?")
                .param(UUID.fromString(tenantUuid)).query(String.class).list();
    }

    private HttpResponse<String> get(String url) {
        try {
            return browser.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + url + " failed", e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        if (uri.getRawQuery() == null) {
            return out;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }
}
