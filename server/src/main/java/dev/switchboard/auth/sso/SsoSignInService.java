package dev.switchboard.auth.sso;

import dev.switchboard.audit.AuditLog;
import dev.switchboard.auth.IssuedTokens;
import dev.switchboard.auth.SecureTokens;
import dev.switchboard.auth.TokenService;
import dev.switchboard.tenant.Tenant;
import dev.switchboard.tenant.TenantRepository;
import dev.switchboard.user.User;
import dev.switchboard.user.UserRepository;
import dev.switchboard.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * OpenID Connect sign-in of tenant users at their tenant's identity provider (SPEC 3.1):
 * authorization code with PKCE (S256), state and nonce; the ID token is checked for signature,
 * issuer, audience, times and nonce, and its e-mail or UPN names the user. The client gets a
 * one-time code at its callback URL and exchanges it for tokens.
 */
@Service
public class SsoSignInService {

    static final Duration REQUEST_LIFETIME = Duration.ofMinutes(10);
    static final String SCOPE = "openid profile email";
    /** Claims that may carry the user's address, in the order they are tried. */
    static final List<String> IDENTITY_CLAIMS = List.of("email", "preferred_username", "upn");
    private static final Pattern OAUTH_ERROR = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(SsoSignInService.class);

    private final TenantRepository tenants;
    private final UserRepository users;
    private final SsoSettingsRepository settings;
    private final SsoSettingsService settingsService;
    private final PendingSignInStore pending;
    private final OneTimeCodes codes;
    private final OidcClient oidc;
    private final TokenService tokens;
    private final AuditLog audit;
    private final Clock clock;

    public SsoSignInService(TenantRepository tenants, UserRepository users, SsoSettingsRepository settings,
                            SsoSettingsService settingsService, PendingSignInStore pending, OneTimeCodes codes,
                            OidcClient oidc, TokenService tokens, AuditLog audit, Clock clock) {
        this.tenants = tenants;
        this.users = users;
        this.settings = settings;
        this.settingsService = settingsService;
        this.pending = pending;
        this.codes = codes;
        this.oidc = oidc;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** The tenant's settings for a provider, or 400 naming what is missing. */
    public SsoSettings settingsOf(SsoProvider provider, String domain) {
        if (domain == null || domain.isBlank()) {
            throw ApiException.invalid("domain", "domain is required");
        }
        Tenant tenant = tenants.findByDomain(domain.strip()).filter(Tenant::enabled)
                .orElseThrow(() -> ApiException.invalid("domain", "no tenant has the domain " + cut(domain.strip())));
        return settings.find(tenant.id(), provider).orElseThrow(() -> ApiException.invalid("domain",
                "sign-in with " + provider.wire() + " is not configured for this tenant"));
    }

    /**
     * Starts a sign-in: remembers state, nonce and PKCE verifier for ten minutes and answers the
     * provider's authorization URL. {@code redirectUri} is our callback as the IdP must call it.
     */
    public String start(SsoSettings sso, String callbackUrl, String redirectUri) {
        if (!CallbackUrls.allowed(callbackUrl, sso.callbackPrefixes())) {
            throw ApiException.invalid("callback_url",
                    "callback_url must be an http or https URL starting with a prefix allowed for this tenant");
        }
        OidcClient.Provider provider;
        try {
            provider = oidc.provider(sso.issuerUri());
        } catch (SsoFailure e) {
            log.warn("sso sign-in of tenant {} cannot start: {}", sso.tenantId(), e.reason());
            throw new ApiException(HttpStatus.BAD_GATEWAY,
                    "The identity provider could not be reached or its metadata is unusable; try again");
        }
        String state = SecureTokens.newToken();
        String nonce = SecureTokens.newToken();
        String verifier = SecureTokens.newToken();
        pending.save(state, new PendingSignIn(sso.tenantId(), sso.provider(), nonce, verifier, callbackUrl,
                redirectUri, clock.instant().plus(REQUEST_LIFETIME)));
        // Values go in as URI variables so that encode() escapes every reserved character in them.
        Map<String, String> values = new LinkedHashMap<>();
        values.put("response_type", "code");
        values.put("client_id", sso.clientId());
        values.put("redirect_uri", redirectUri);
        values.put("scope", SCOPE);
        values.put("state", state);
        values.put("nonce", nonce);
        values.put("code_challenge", challenge(verifier));
        values.put("code_challenge_method", "S256");
        values.put("response_mode", "query");
        UriComponentsBuilder url = UriComponentsBuilder.fromUriString(provider.authorizationEndpoint());
        values.keySet().forEach(name -> url.queryParam(name, "{" + name + "}"));
        return url.encode().buildAndExpand(values).toUriString();
    }

    /**
     * Completes a sign-in from the IdP's redirect and answers where to send the browser: the
     * client's callback URL with a one-time code, or with an error. An unknown, used or expired
     * state is a 400, since there is then no callback URL known to be the client's.
     */
    public String complete(SsoProvider provider, String code, String state, String idpError, String source) {
        PendingSignIn request = pending.consume(state)
                .filter(p -> p.provider() == provider)
                .orElseThrow(() -> ApiException.invalid("state",
                        "the sign-in request is unknown, already used or expired; start the sign-in again"));
        String subject = null;
        try {
            if (idpError != null && !idpError.isEmpty()) {
                String error = OAUTH_ERROR.matcher(idpError).matches() ? idpError : "server_error";
                throw new SsoFailure(error, "the identity provider did not sign the user in",
                        "identity provider answered " + error);
            }
            if (code == null || code.isEmpty() || code.length() > 4096) {
                throw SsoFailure.denied("the identity provider sent no authorization code", "no code in callback");
            }
            SsoSettings sso = settings.find(request.tenantId(), provider)
                    .orElseThrow(() -> SsoFailure.denied("sign-in is no longer configured for this tenant",
                            "settings removed during sign-in"));
            OidcClient.Provider idp = oidc.provider(sso.issuerUri());
            String idToken = oidc.exchange(idp, code, request.redirectUri(), sso.clientId(),
                    settingsService.clientSecret(sso), request.codeVerifier());
            Jwt jwt = oidc.decode(idp, idToken);
            subject = identity(jwt).orElse(jwt.getSubject());
            checkClaims(jwt, sso, request);
            User user = userOf(request, jwt);
            String oneTime = codes.issue(user.id());
            log.info("sso sign-in: tenant={} user={} provider={}", request.tenantId(), user.id(), provider.wire());
            return CallbackUrls.withParams(request.callbackUrl(), Map.of("code", oneTime));
        } catch (SsoFailure e) {
            audit.record("SSO_FAILED", request.tenantId(), subject == null ? provider.wire() : subject, source,
                    e.reason());
            Map<String, String> params = new LinkedHashMap<>();
            params.put("error", e.error());
            params.put("error_description", e.description());
            return CallbackUrls.withParams(request.callbackUrl(), params);
        }
    }

    /** Exchanges a one-time code for a session; the password was not verified in it. */
    public IssuedTokens redeem(String code) {
        // The user or its tenant may have gone (deleted, disabled) since the code was issued: no
        // session starts for them, as no password sign-in would.
        return codes.redeem(code).flatMap(users::find)
                .filter(u -> u.tenantId().flatMap(tenants::find).map(Tenant::enabled).orElse(false))
                .map(user -> tokens.signIn(user.id(), false))
                .orElseThrow(() -> ApiException.invalid("code", "the code is unknown, already used or expired"));
    }

    /** Audience, times and nonce; signature and issuer were checked by the decoder. */
    private void checkClaims(Jwt jwt, SsoSettings sso, PendingSignIn request) {
        List<String> audience = jwt.getAudience();
        if (audience == null || !audience.contains(sso.clientId())) {
            throw SsoFailure.denied("the ID token is not meant for this application",
                    "ID token audience " + audience + " does not contain the client id");
        }
        // OpenID Connect Core 3.1.3.7: with other audiences too, the party it was issued to must be us.
        String authorizedParty = jwt.getClaimAsString("azp");
        if ((audience.size() > 1 || authorizedParty != null) && !sso.clientId().equals(authorizedParty)) {
            throw SsoFailure.denied("the ID token is not meant for this application",
                    "ID token has several audiences or an azp, and azp is not the client id");
        }
        Instant now = clock.instant();
        Instant issued = jwt.getIssuedAt();
        Instant expires = jwt.getExpiresAt();
        if (issued == null || expires == null || issued.isAfter(now.plus(CLOCK_SKEW))
                || !expires.isAfter(now.minus(CLOCK_SKEW))) {
            throw SsoFailure.denied("the ID token is not valid", "ID token lacks iat/exp or is outside its lifetime");
        }
        String nonce = jwt.getClaimAsString("nonce");
        if (nonce == null || !SecureTokens.constantTimeEquals(nonce, request.nonce())) {
            throw SsoFailure.denied("the ID token does not belong to this sign-in", "ID token nonce does not match");
        }
    }

    /**
     * The one user of the tenant whose e-mail is the identity's e-mail, preferred_username or UPN.
     * An {@code email} the token does not mark verified ({@code email_verified} present and not
     * true) is not used: anyone could have typed it. {@code preferred_username} (Entra's UPN in v2
     * tokens, but a name users may choose at other IdPs) is used only when the token has no
     * {@code email}, or the same one, so it cannot stand in for an address refused or unknown.
     */
    private User userOf(PendingSignIn request, Jwt jwt) {
        Tenant tenant = tenants.find(request.tenantId()).filter(Tenant::enabled)
                .orElseThrow(() -> SsoFailure.denied("the tenant is not available", "tenant disabled or deleted"));
        String email = jwt.getClaimAsString("email");
        Object verified = jwt.getClaims().get("email_verified");
        boolean emailUsable = verified == null || Boolean.TRUE.equals(verified) || "true".equals(verified);
        for (String claim : IDENTITY_CLAIMS) {
            String value = jwt.getClaimAsString(claim);
            if (value == null || value.isBlank() || value.length() > 320) {
                continue;
            }
            if (claim.equals("email") && !emailUsable
                    || claim.equals("preferred_username") && email != null
                    && !(emailUsable && email.strip().equalsIgnoreCase(value.strip()))) {
                continue;
            }
            List<User> matches = users.findByEmail(tenant.id(), value.strip());
            if (matches.size() == 1) {
                return matches.get(0);
            }
        }
        throw SsoFailure.denied("no user of this tenant has the signed-in identity",
                "no user with e-mail matching " + IDENTITY_CLAIMS + " of the identity");
    }

    private static Optional<String> identity(Jwt jwt) {
        return IDENTITY_CLAIMS.stream().map(jwt::getClaimAsString).filter(v -> v != null && !v.isBlank())
                .findFirst();
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cut(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
