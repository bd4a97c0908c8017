package dev.switchboard.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.switchboard.user.User;
import dev.switchboard.user.UserRepository;
import dev.switchboard.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** PortSIP-compatible authentication (seed 003): sign-in, token refresh, sign-out, current user. */
@RestController
@RequestMapping("/api/auth")
@Tag(name = "PortSIP authentication", description = "PortSIP-compatible sign-in surface")
public class PortSipAuthController {

    private final LoginService logins;
    private final TokenService tokens;
    private final UserRepository users;

    public PortSipAuthController(LoginService logins, TokenService tokens, UserRepository users) {
        this.logins = logins;
        this.tokens = tokens;
        this.users = users;
    }

    /** Sign-in body; without a domain the caller is the system administrator. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SignInRequest(String username, String password, String domain) {
    }

    /** The token object of sign-in, refresh and code exchange. */
    public record TokenAnswer(String tokenType, String accessToken, String refreshToken, long expiresIn) {
        public static TokenAnswer of(IssuedTokens t) {
            return new TokenAnswer("Bearer", t.accessToken(), t.refreshToken(), t.expiresIn());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RefreshRequest(String refreshToken) {
    }

    /** What the current token's user is. */
    public record CurrentUser(String role, boolean passwordVerified, boolean passwordForceReset) {
    }

    @PostMapping("/sign_in")
    @Operation(summary = "Sign in with username, password and the tenant's SIP domain (none: system administrator)")
    @SecurityRequirements
    public TokenAnswer signIn(@RequestBody SignInRequest request, HttpServletRequest http) {
        requireText("username", request.username());
        requireText("password", request.password());
        User user = logins.verify(request.domain(), request.username(), request.password(), LoginService.Proof.SIGN_IN,
                http.getRemoteAddr());
        return TokenAnswer.of(tokens.signIn(user.id(), true));
    }

    @PostMapping("/refresh_token")
    @Operation(summary = "Exchange a refresh token for a new token pair; the refresh token rotates")
    @SecurityRequirements
    public TokenAnswer refresh(@RequestBody RefreshRequest request, HttpServletRequest http) {
        requireText("refresh_token", request.refreshToken());
        return TokenAnswer.of(tokens.refresh(request.refreshToken(), http.getRemoteAddr()));
    }

    @PostMapping("/sign_out")
    @Operation(summary = "End the session of the bearer token, with its refresh token")
    public Map<String, Object> signOut(@AuthenticationPrincipal Caller caller) {
        tokens.revokeSession(caller.sessionId());
        return Map.of();
    }

    @GetMapping("/user")
    @Operation(summary = "The role and password state of the token's user")
    public CurrentUser user(@AuthenticationPrincipal Caller caller) {
        User user = users.find(caller.userId()).orElseThrow(() -> ApiException.unauthorized("Token is no longer valid"));
        return new CurrentUser(user.role().wire(), caller.passwordVerified(), user.passwordForceReset());
    }

    static void requireText(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid(field, field + " is required");
        }
        if (value.length() > 1024) {
            throw ApiException.invalid(field, field + " is too long");
        }
    }
}
