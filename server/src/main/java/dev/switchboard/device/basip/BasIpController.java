package dev.switchboard.device.basip;

import dev.switchboard.auth.Caller;
import dev.switchboard.auth.IssuedTokens;
import dev.switchboard.auth.LoginService;
import dev.switchboard.auth.TokenService;
import dev.switchboard.device.AccountId;
import dev.switchboard.device.AccountStatus;
import dev.switchboard.device.SettingsCheck;
import dev.switchboard.device.SettingsReader;
import dev.switchboard.device.SipAccountService;
import dev.switchboard.device.SipAccountSettings;
import dev.switchboard.device.StoredAccount;
import dev.switchboard.user.Role;
import dev.switchboard.user.User;
import dev.switchboard.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The BAS-IP-compatible device API: login, logout and the first SIP account of the caller's
 * user agent (the tenant's; the system administrator's calls address the system-level agent).
 * Bodies are read as raw JSON trees so the checks and their texts follow the BAS-IP contract
 * exactly; errors are {@code {"error": "…"}} ({@link BasIpErrors}).
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "BAS-IP device API")
public class BasIpController {

    static final String WRONG_LOGIN = "Wrong login or password";
    static final String MISSED = "Required parameters missed";

    private final LoginService logins;
    private final TokenService tokens;
    private final SipAccountService accounts;

    public BasIpController(LoginService logins, TokenService tokens, SipAccountService accounts) {
        this.logins = logins;
        this.tokens = tokens;
        this.accounts = accounts;
    }

    @GetMapping("/login")
    @Operation(summary = "Log in with the hex MD5 of the password; tenant users give name@domain")
    @ApiResponse(responseCode = "200", description = "A token for the other calls",
            content = @Content(schema = @Schema(implementation = BasIpDocs.Login.class)))
    @SecurityRequirements
    public Map<String, Object> login(
            @Parameter(required = true, description = "name@tenant-domain; admin for the system administrator")
            @RequestParam(required = false) String username,
            @Parameter(required = true, description = "hex MD5 of the password, either case")
            @RequestParam(required = false) String password, HttpServletRequest http) {
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            throw ApiException.badRequest(MISSED);
        }
        // name@domain for tenant users; a bare name is the system administrator's.
        int at = username.lastIndexOf('@');
        String name = at < 0 ? username : username.substring(0, at);
        String domain = at < 0 ? null : username.substring(at + 1);
        if (at >= 0 && (name.isEmpty() || domain.isBlank())) {
            throw ApiException.badRequest(WRONG_LOGIN);
        }
        User user;
        try {
            user = logins.verify(domain, name, password, LoginService.Proof.DEVICE_MD5, http.getRemoteAddr());
        } catch (ApiException e) {
            if (e.status() == HttpStatus.UNAUTHORIZED) {
                throw ApiException.badRequest(WRONG_LOGIN);
            }
            throw e;
        }
        IssuedTokens issued = tokens.deviceToken(user.id());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", issued.accessToken());
        answer.put("account_type", user.role() == Role.STANDARD_USER ? "user" : "admin");
        return answer;
    }

    @GetMapping("/logout")
    @Operation(summary = "Revoke the bearer token")
    public ResponseEntity<Void> logout(@AuthenticationPrincipal Caller caller) {
        tokens.revokeSession(caller.sessionId());
        return ResponseEntity.ok().build();
    }

    @GetMapping("/device/sip/settings")
    @Operation(summary = "Settings of the first SIP account; the password reads as WebPass")
    @ApiResponse(responseCode = "200", description = "The settings",
            content = @Content(schema = @Schema(implementation = BasIpDocs.Settings.class)))
    public Map<String, Object> settings(@AuthenticationPrincipal Caller caller) {
        return BasIpSettingsView.of(accounts.find(AccountId.first(caller.tenantId()))
                .flatMap(StoredAccount::settings));
    }

    @PostMapping("/device/sip/settings")
    @Operation(summary = "Store the first SIP account's settings and re-register at once; 200 with no body")
    public ResponseEntity<Void> saveSettings(
            @AuthenticationPrincipal Caller caller,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = BasIpDocs.Settings.class)))
            @RequestBody(required = false) String body) {
        requireWriter(caller);
        SettingsCheck check = SettingsReader.read(body);
        if (check instanceof SettingsCheck.Invalid invalid) {
            throw ApiException.badRequest(invalid.basIpMessage());
        }
        SipAccountSettings settings = ((SettingsCheck.Valid) check).settings();
        accounts.save(AccountId.first(caller.tenantId()), settings);
        return ResponseEntity.ok().build();
    }

    @GetMapping("/sip/status")
    @Operation(summary = "Registration state of the first SIP account")
    @ApiResponse(responseCode = "200", description = "The state",
            content = @Content(schema = @Schema(implementation = BasIpDocs.Status.class)))
    public Map<String, Object> status(@AuthenticationPrincipal Caller caller) {
        AccountStatus status = accounts.status(AccountId.first(caller.tenantId()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sip_status", status.state().name());
        answer.put("register_last_attempt", status.lastAttempt().map(t -> t.getEpochSecond()).orElse(null));
        return answer;
    }

    @PostMapping("/device/sip/enable")
    @Operation(summary = "Enable or disable the first SIP account; disabling un-registers it")
    public ResponseEntity<Void> enable(
            @AuthenticationPrincipal Caller caller,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = BasIpDocs.Enable.class)))
            @RequestBody(required = false) String body) {
        requireWriter(caller);
        JsonNode tree = SettingsReader.parse(body);
        if (tree == null || !tree.isObject()) {
            throw ApiException.badRequest("Wrong JSON body");
        }
        JsonNode flag = tree.get("sip_enable");
        if (flag == null || flag.isNull()) {
            throw ApiException.badRequest("Wrong JSON body: no value for `sip_enable`");
        }
        if (!flag.isBoolean()) {
            throw ApiException.badRequest("Wrong JSON body: value `sip_enable` was of the wrong type");
        }
        accounts.enable(AccountId.first(caller.tenantId()), flag.asBoolean());
        return ResponseEntity.ok().build();
    }

    /** account_type "user" (a StandardUser) may read the settings and status but not change them. */
    private static void requireWriter(Caller caller) {
        if (caller.role() == Role.STANDARD_USER) {
            throw ApiException.forbidden("Access denied");
        }
    }
}
