package dev.switchboard.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.switchboard.user.User;
import dev.switchboard.user.UserRepository;
import dev.switchboard.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** PortSIP's older login calls: {@code /api/login} and {@code /api/logout}. */
@RestController
@RequestMapping("/api")
@Tag(name = "PortSIP authentication")
public class LegacyLoginController {

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final LoginService logins;
    private final TokenService tokens;
    private final UserRepository users;
    private final Clock clock;

    public LegacyLoginController(LoginService logins, TokenService tokens, UserRepository users, Clock clock) {
        this.logins = logins;
        this.tokens = tokens;
        this.users = users;
        this.clock = clock;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LoginRequest(String username, String password, String domain) {
    }

    /** The legacy token object: expires_at in RFC 3339. */
    public record LoginAnswer(String accessToken, String expiresAt, long expiresIn, String role) {
    }

    @PostMapping("/login")
    @Operation(summary = "Sign in (legacy call)")
    @SecurityRequirements
    public LoginAnswer login(@RequestBody LoginRequest request, HttpServletRequest http) {
        PortSipAuthController.requireText("username", request.username());
        PortSipAuthController.requireText("password", request.password());
        User user = logins.verify(request.domain(), request.username(), request.password(), LoginService.Proof.LOGIN,
                http.getRemoteAddr());
        IssuedTokens issued = tokens.signIn(user.id(), true);
        return answer(issued.accessToken(), issued.accessExpiresAt(), user.role().wire());
    }

    @GetMapping("/login")
    @Operation(summary = "The token object of the current bearer token (legacy call)")
    public LoginAnswer current(@AuthenticationPrincipal Caller caller, HttpServletRequest http) {
        users.find(caller.userId()).orElseThrow(() -> ApiException.unauthorized("Token is no longer valid"));
        String header = http.getHeader("Authorization");
        return answer(header.substring("Bearer ".length()).trim(), caller.tokenExpiresAt(), caller.role().wire());
    }

    @PostMapping("/logout")
    @Operation(summary = "End the session of the bearer token (legacy call); 204")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void logout(@AuthenticationPrincipal Caller caller) {
        tokens.revokeSession(caller.sessionId());
    }

    private LoginAnswer answer(String token, Instant expiresAt, String role) {
        long remaining = Math.max(0, expiresAt.getEpochSecond() - clock.instant().getEpochSecond());
        return new LoginAnswer(token, RFC3339.format(expiresAt.atOffset(ZoneOffset.UTC)), remaining, role);
    }
}
