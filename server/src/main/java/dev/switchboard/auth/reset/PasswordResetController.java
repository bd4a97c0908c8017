package dev.switchboard.auth.reset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import tools.jackson.databind.JsonNode;
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
    public Map<String, Object> forget(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = ForgetRequest.class)))
            @RequestBody(required = false) String body) {
        // SPEC 3.1: "200 always". A body of the wrong shape names no account; saying so would tell
        // nothing an attacker wants, but the contract is one answer for everything.
        JsonNode tree = dev.switchboard.device.SettingsReader.parse(body);
        if (tree != null && tree.isObject()) {
            resets.requestReset(text(tree, "domain"), text(tree, "username"), text(tree, "callback_url"));
        }
        return Map.of();
    }

    private static String text(JsonNode tree, String field) {
        JsonNode value = tree.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    @PostMapping("/reset_password")
    @SecurityRequirements
    @Operation(summary = "Set a new password with the token of a reset link; ends every session of the user")
    public Map<String, Object> reset(@RequestBody ResetRequest request, HttpServletRequest http) {
        resets.reset(request.token(), request.newPassword(), http.getRemoteAddr());
        return Map.of();
    }
}
