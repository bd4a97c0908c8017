package dev.switchboard.auth.reset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** PortSIP-compatible forgotten-password calls (seed 003). */
@RestController
@RequestMapping("/api/auth")
@Tag(name = "PortSIP authentication")
public class PasswordResetController {

    private final PasswordResetService resets;

    public PasswordResetController(PasswordResetService resets) {
        this.resets = resets;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ForgetRequest(String domain, String username, String callbackUrl) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResetRequest(String token, String newPassword) {
    }

    @PostMapping("/forget_password")
    @SecurityRequirements
    @Operation(summary = "Mail a password-reset link to the user's address",
            description = "Always 200 {}, whether or not the account exists. The link is callback_url with "
                    + "`token=`; it works once, within an hour.")
    public Map<String, Object> forget(@RequestBody ForgetRequest request) {
        resets.requestReset(request.domain(), request.username(), request.callbackUrl());
        return Map.of();
    }

    @PostMapping("/reset_password")
    @SecurityRequirements
    @Operation(summary = "Set a new password with the token of a reset link; ends every session of the user")
    public Map<String, Object> reset(@RequestBody ResetRequest request, HttpServletRequest http) {
        resets.reset(request.token(), request.newPassword(), http.getRemoteAddr());
        return Map.of();
    }
}
