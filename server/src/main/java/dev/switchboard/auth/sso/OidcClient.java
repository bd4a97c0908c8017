package dev.switchboard.auth.sso;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks OpenID Connect to an issuer: discovery (cached a few minutes, so a burst of sign-ins
 * costs one fetch), the authorization-code exchange, and ID token signature, issuer and time
 * checks against the issuer's JWKS.
 */
@Component
public class OidcClient {

    static final Duration DISCOVERY_TTL = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final RestTemplate jwksClient;
    private final Clock clock;
    private final Map<String, Cached> providers = new ConcurrentHashMap<>();

    public OidcClient(Clock clock) {
        this.clock = clock;
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(Duration.ofSeconds(5));
        factory.setReadTimeout(TIMEOUT);
        this.jwksClient = new RestTemplate(factory);
    }

    /** What discovery says about an issuer, with a decoder that trusts only its keys and its issuer name. */
    public record Provider(String issuer, String authorizationEndpoint, String tokenEndpoint, String jwksUri,
                           JwtDecoder decoder) {
    }

    private record Cached(Provider provider, Instant fetchedAt) {
    }

    /** The issuer's metadata; throws {@link SsoFailure} when it cannot be fetched or is unusable. */
    public Provider provider(String issuer) {
        Cached cached = providers.get(issuer);
        Instant now = clock.instant();
        if (cached != null && cached.fetchedAt().plus(DISCOVERY_TTL).isAfter(now)) {
            return cached.provider();
        }
        Provider fresh = discover(issuer);
        providers.put(issuer, new Cached(fresh, now));
        return fresh;
    }

    /** Exchanges an authorization code (client_secret_post, with the PKCE verifier) for the ID token. */
    public String exchange(Provider provider, String code, String redirectUri, String clientId, String clientSecret,
                           String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("code_verifier", codeVerifier);
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(provider.tokenEndpoint()))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = send(request, "token endpoint");
        JsonNode answer = parse(response.body(), "token endpoint");
        if (response.statusCode() != 200) {
            String error = answer == null ? "" : answer.path("error").asString("");
            throw SsoFailure.denied("the identity provider refused the authorization code",
                    "token endpoint answered " + response.statusCode() + (error.isEmpty() ? "" : " " + cut(error)));
        }
        String idToken = answer == null ? "" : answer.path("id_token").asString("");
        if (idToken.isEmpty()) {
            throw SsoFailure.provider("token endpoint answered without an id_token");
        }
        return idToken;
    }

    /** Verifies signature (JWKS), issuer, expiry and not-before; audience and nonce are the caller's to check. */
    public Jwt decode(Provider provider, String idToken) {
        try {
            return provider.decoder().decode(idToken);
        } catch (JwtValidationException e) {
            throw SsoFailure.denied("the ID token is not valid", "ID token refused: " + cut(e.getMessage()));
        } catch (BadJwtException e) {
            throw SsoFailure.denied("the ID token is not valid", "ID token signature or format refused: "
                    + cut(e.getMessage()));
        } catch (JwtException e) {
            throw SsoFailure.provider("ID token could not be checked: " + cut(e.getMessage()));
        }
    }

    private Provider discover(String issuer) {
        String url = withoutSlash(issuer) + "/.well-known/openid-configuration";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response = send(request, "discovery document");
        JsonNode doc = parse(response.body(), "discovery document");
        if (response.statusCode() != 200 || doc == null) {
            throw SsoFailure.provider("discovery at " + url + " answered " + response.statusCode());
        }
        // OpenID Connect Discovery 4.3: the document must name the issuer it was fetched for. A
        // trailing slash written or left out in the settings is forgiven; the tokens are then held
        // to the name the document gives, exactly.
        String named = doc.path("issuer").asString("");
        if (named.isEmpty() || !withoutSlash(issuer).equals(withoutSlash(named))) {
            throw SsoFailure.provider("discovery at " + url + " names issuer " + cut(named));
        }
        issuer = named;
        String authorization = endpoint(doc, "authorization_endpoint", url);
        String token = endpoint(doc, "token_endpoint", url);
        String jwks = endpoint(doc, "jwks_uri", url);
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwks).restOperations(jwksClient).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(issuer));
        return new Provider(issuer, authorization, token, jwks, decoder);
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String endpoint(JsonNode doc, String name, String url) {
        String value = doc.path(name).asString("");
        if (!CallbackUrls.isHttp(value)) {
            throw SsoFailure.provider("discovery at " + url + " has no usable " + name);
        }
        return value;
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw SsoFailure.provider(what + " at " + request.uri() + " unreachable: " + cut(String.valueOf(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SsoFailure.provider(what + " request interrupted");
        }
    }

    private static JsonNode parse(String body, String what) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String cut(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) : text;
    }
}
