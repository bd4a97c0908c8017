package dev.switchboard.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.switchboard.tenant.Tenant;
import dev.switchboard.tenant.TenantRepository;
import dev.switchboard.user.User;
import dev.switchboard.user.UserRepository;
import dev.switchboard.user.UserService;
import dev.switchboard.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Native API: a signed-in user changes its own login password, proving the current one (under
 * the login throttle, so a stolen token cannot be used to guess it). Every role may; it is the
 * system administrator's only way to replace its password.
 */
@RestController
@RequestMapping("/api/v2/me")
@Tag(name = "Users")
public class OwnPasswordController {

    private final LoginService logins;
    private final UserRepository users;
    private final TenantRepository tenants;
    private final UserService userService;

    public OwnPasswordController(LoginService logins, UserRepository users, TenantRepository tenants,
                                 UserService userService) {
        this.logins = logins;
        this.users = users;
        this.tenants = tenants;
        this.userService = userService;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "PasswordChange")
    public record PasswordChange(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String currentPassword,
                                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                                         description = "8 to 128 characters of at least two kinds") String newPassword) {
    }

    @PostMapping("/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Change the caller's own login password",
            description = "Needs the current password. Clears password_force_reset and ends every session of the "
                    + "user, this one included: sign in again with the new password.")
    public void change(@AuthenticationPrincipal Caller caller, @RequestBody PasswordChange change,
                       HttpServletRequest http) {
        PortSipAuthController.requireText("current_password", change.currentPassword());
        PortSipAuthController.requireText("new_password", change.newPassword());
        User user = users.find(caller.userId())
                .orElseThrow(() -> ApiException.unauthorized("Token is no longer valid"));
        String domain = user.tenantId().flatMap(tenants::find).map(Tenant::domain).orElse(null);
        try {
            logins.verify(domain, user.username(), change.currentPassword(), LoginService.Proof.PASSWORD_CHANGE,
                    http.getRemoteAddr());
        } catch (ApiException e) {
            if (e.status() == HttpStatus.UNAUTHORIZED) {
                // The token is good; the proof is not: a 401 would tell the client to sign in again.
                throw ApiException.invalid("current_password", "current_password is wrong");
            }
            throw e;
        }
        userService.setOwnPassword(user.id(), change.newPassword());
    }
}
