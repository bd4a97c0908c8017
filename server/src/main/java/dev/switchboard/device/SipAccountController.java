package dev.switchboard.device;

import dev.switchboard.auth.Caller;
import dev.switchboard.tenant.TenantRepository;
import dev.switchboard.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The native view of a tenant's SIP account slots (1 and 2), with the same fields and rules as
 * the BAS-IP settings, RFC 9457 errors, and the live registration status. The password is
 * write-only; {@code WebPass} keeps the stored one, as on the device surface.
 */
@RestController
@RequestMapping("/api/v2/tenants/{tenant}/sip-accounts")
@Tag(name = "SIP accounts")
public class SipAccountController {

    private final SipAccountService accounts;
    private final TenantRepository tenants;

    public SipAccountController(SipAccountService accounts, TenantRepository tenants) {
        this.accounts = accounts;
        this.tenants = tenants;
    }

    public record StunView(String ip, int port) {
    }

    public record StatusView(String state, @Schema(nullable = true) Integer lastStatusCode,
                             @Schema(nullable = true) String reason, Instant since,
                             @Schema(nullable = true) Instant lastAttempt) {
    }

    /** An account slot; the settings are null while none were stored. */
    public record AccountView(UUID tenant, int slot, boolean enabled, @Schema(nullable = true) String proxy,
                              @Schema(nullable = true) String realm, @Schema(nullable = true) String user,
                              boolean passwordSet, @Schema(nullable = true) String transport,
                              @Schema(nullable = true) String userId,
                              @Schema(nullable = true) Integer registrationInterval,
                              @Schema(nullable = true) String outbound, @Schema(nullable = true) StunView stun,
                              @Schema(nullable = true) Instant updatedAt, StatusView status) {
    }

    /** The body of a PUT, for the OpenAPI document: read by hand to apply the device surface's rules. */
    @Schema(name = "SipAccountRequest", description = "The BAS-IP settings' fields and rules, plus enabled")
    record AccountRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "sip:sip.example.com:5060") String proxy,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "sip.example.com") String realm,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = 31) String user,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 6, maxLength = 31,
                    description = "write-only; WebPass keeps the stored one") String password,
            @Schema(allowableValues = {"udp", "tcp", "tls"}, defaultValue = "udp") String transport,
            @Schema(maxLength = 31, description = "digest user name; empty: user") String userId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) StunView stun,
            @Schema(minimum = "30", maximum = "900", defaultValue = "300") Integer registrationInterval,
            @Schema(description = "empty, or host + optional :port of an outbound proxy") String outbound,
            @Schema(description = "absent: unchanged") Boolean enabled) {
    }

    @GetMapping("/{slot}")
    @Operation(summary = "A SIP account slot with its registration status")
    public AccountView get(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant, @PathVariable int slot) {
        AccountId id = visible(caller, tenant, slot);
        return view(accounts.find(id).orElseThrow(() -> ApiException.notFound("SIP account")));
    }

    @PutMapping(value = "/{slot}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    @Operation(summary = "Replace a SIP account slot's settings (optional enabled flag); the agent re-registers")
    public AccountView put(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant, @PathVariable int slot,
                           @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content =
                           @Content(schema = @Schema(implementation = AccountRequest.class)))
                           @RequestBody(required = false) String body) {
        AccountId id = visible(caller, tenant, slot);
        JsonNode tree = SettingsReader.parse(body);
        SettingsCheck check = SettingsReader.read(tree);
        if (check instanceof SettingsCheck.Invalid invalid) {
            throw ApiException.invalid(invalid.field(), invalid.detail());
        }
        JsonNode enabled = tree.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw ApiException.invalid("enabled", "Field 'enabled' has a value of the wrong type");
        }
        StoredAccount stored = accounts.save(id, ((SettingsCheck.Valid) check).settings());
        if (enabled != null && enabled.isBoolean() && enabled.asBoolean() != stored.enabled()) {
            stored = accounts.enable(id, enabled.asBoolean());
        }
        return view(stored);
    }

    @DeleteMapping("/{slot}")
    @Operation(summary = "Delete a SIP account slot; the agent un-registers it")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant, @PathVariable int slot) {
        if (!accounts.delete(visible(caller, tenant, slot))) {
            throw ApiException.notFound("SIP account");
        }
    }

    /** Admin of the tenant or SystemAdmin; another tenant, an unknown one or a slot beyond 2 is 404. */
    private AccountId visible(Caller caller, UUID tenant, int slot) {
        caller.requireAdminOf(tenant);
        tenants.find(tenant).orElseThrow(() -> ApiException.notFound("Tenant"));
        if (slot < 1 || slot > AccountId.SLOTS) {
            throw ApiException.notFound("SIP account");
        }
        return new AccountId(Optional.of(tenant), slot);
    }

    private AccountView view(StoredAccount account) {
        AccountStatus s = accounts.status(account.id());
        StatusView status = new StatusView(s.state().name(), s.lastCode().orElse(null), s.reason(), s.since(),
                s.lastAttempt().orElse(null));
        UUID tenant = account.id().tenant().orElse(null);
        return account.settings().map(c -> new AccountView(tenant, account.id().slot(), account.enabled(), c.proxy(),
                        c.realm(), c.user(), true, c.transport(), c.userId(), c.registrationInterval(), c.outbound(),
                        new StunView(c.stun().ip(), c.stun().port()), account.updatedAt(), status))
                .orElseGet(() -> new AccountView(tenant, account.id().slot(), account.enabled(), null, null, null,
                        false, null, null, null, null, null, account.updatedAt(), status));
    }
}
