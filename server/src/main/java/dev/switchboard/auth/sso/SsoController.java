package dev.switchboard.auth.sso;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.switchboard.auth.PortSipAuthController.TokenAnswer;
import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** PortSIP-compatible single sign-on calls (seed 003): start, IdP callback, code exchange, form sign-in. */
@RestController
@RequestMapping("/api")
@Tag(name = "PortSIP authentication")
public class SsoController {

    private final SsoSignInService signIns;
    private final String publicUrl;

    public SsoController(SsoSignInService signIns, SwitchboardProperties properties) {
        this.signIns = signIns;
        String url = properties.publicUrl();
        this.publicUrl = url == null || url.isBlank() ? null
                : url.strip().endsWith("/") ? url.strip().substring(0, url.strip().length() - 1) : url.strip();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "SsoSignInRequest")
    public record SignInRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String domain,
                                @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uri") String callbackUrl) {
    }

    /** Where the browser goes to sign in. */
    public record SignInAnswer(String url) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CodeRequest(String code) {
    }

    /** The HTML form of {@code POST /api/login/by_microsoft}, for the OpenAPI document. */
    @Schema(name = "MicrosoftSignInForm")
    public record DomainForm(@Schema(description = "The tenant's SIP domain") String domain) {
    }

    @PostMapping("/auth/sign_in/{provider}")
    @SecurityRequirements
    @Operation(summary = "Start single sign-on: answers the identity provider's authorization URL",
            description = "Authorization code flow with PKCE (S256), state and nonce. The browser comes back to "
                    + "callback_url with a one-time `code` (exchange it at /api/auth/token) or with `error`.")
    public SignInAnswer signIn(@PathVariable String provider, @RequestBody SignInRequest request,
                               HttpServletRequest http) {
        SsoProvider idp = provider(provider);
        SsoSettings sso = signIns.settingsOf(idp, request.domain());
        if (request.callbackUrl() == null || request.callbackUrl().isEmpty()) {
            throw ApiException.invalid("callback_url", "callback_url is required");
        }
        return new SignInAnswer(signIns.start(sso, request.callbackUrl(), redirectUri(idp, http)));
    }

    @GetMapping("/auth/callback/{provider}")
    @SecurityRequirements
    @Operation(summary = "Where the identity provider sends the browser back; redirects to the client's callback URL")
    @ApiResponse(responseCode = "302", description = "To callback_url with a one-time code, or with error",
            headers = @Header(name = "Location", description = "The client's callback URL",
                    schema = @Schema(type = "string", format = "uri")))
    public ResponseEntity<Void> callback(@PathVariable String provider,
                                         @RequestParam(required = false) String code,
                                         @RequestParam(required = false) String state,
                                         @RequestParam(required = false) String error,
                                         HttpServletRequest http) {
        SsoProvider idp = provider(provider);
        return redirect(signIns.complete(idp, code, state, error, http.getRemoteAddr()));
    }

    @PostMapping("/auth/token")
    @SecurityRequirements
    @Operation(summary = "Exchange the one-time code of a single sign-on for a token pair")
    public TokenAnswer token(@RequestBody CodeRequest request) {
        if (request.code() == null || request.code().isEmpty()) {
            throw ApiException.invalid("code", "code is required");
        }
        return TokenAnswer.of(signIns.redeem(request.code()));
    }

    @PostMapping("/login/by_microsoft")
    @SecurityRequirements
    @Operation(summary = "Sign in with Microsoft from an HTML form: 302 to the authorization URL",
            description = "The browser comes back to the tenant's first allowed callback URL prefix.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE, schema = @Schema(implementation = DomainForm.class)))
    @ApiResponse(responseCode = "302", description = "To the identity provider's authorization URL",
            headers = @Header(name = "Location", description = "The authorization URL",
                    schema = @Schema(type = "string", format = "uri")))
    @ApiResponse(responseCode = "400", description = "Unknown domain, or Microsoft sign-in not configured for it")
    public ResponseEntity<Void> byMicrosoft(@Parameter(hidden = true) @RequestParam(required = false) String domain,
                                            HttpServletRequest http) {
        SsoSettings sso = signIns.settingsOf(SsoProvider.MICROSOFT, domain);
        String callback = sso.callbackPrefixes().get(0);
        return redirect(signIns.start(sso, callback, redirectUri(SsoProvider.MICROSOFT, http)));
    }

    private static SsoProvider provider(String name) {
        return SsoProvider.of(name).orElseThrow(() ->
                ApiException.invalid("provider", "unknown sign-in provider '" + cut(name) + "'; supported: microsoft"));
    }

    /** Our callback as the IdP must call it: from switchboard.public-url when set, else from this request. */
    private String redirectUri(SsoProvider provider, HttpServletRequest http) {
        String base = publicUrl != null ? publicUrl
                : ServletUriComponentsBuilder.fromContextPath(http).replaceQuery(null).build().toUriString();
        return base + "/api/auth/callback/" + provider.wire();
    }

    private static ResponseEntity<Void> redirect(String location) {
        return ResponseEntity.status(HttpStatus.FOUND)
                .header(HttpHeaders.LOCATION, location)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private static String cut(String s) {
        return s.length() > 32 ? s.substring(0, 32) + "…" : s;
    }
}
