package dev.switchboard.auth.sso;

import dev.switchboard.auth.Caller;
import dev.switchboard.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Native API: a tenant's Microsoft sign-in settings. The client secret is write-only. */
@RestController
@RequestMapping("/api/v2/tenants/{tenant}/sso/microsoft")
@Tag(name = "Single sign-on", description = "Native management API: Microsoft (Entra ID) sign-in of a tenant")
public class SsoSettingsController {

    private final SsoSettingsService service;

    public SsoSettingsController(SsoSettingsService service) {
        this.service = service;
    }

    /** The settings as the API shows them: whether a secret is set, never the secret. */
    public record SsoView(String provider, String entraTenantId, String issuerUri, String clientId,
                          boolean clientSecretSet, List<String> callbackUrlPrefixes, Instant updatedAt) {
        static SsoView of(SsoSettings s) {
            return new SsoView(s.provider().wire(), SsoSettingsService.entraTenantOf(s.issuerUri()), s.issuerUri(),
                    s.clientId(), s.sealedClientSecret() != null, s.callbackPrefixes(), s.updatedAt());
        }
    }

    /** Body of PUT: issuer_uri overrides entra_tenant_id; an omitted client_secret keeps the stored one. */
    public record SsoRequest(String entraTenantId, String issuerUri, String clientId, String clientSecret,
                             List<String> callbackUrlPrefixes) {
    }

    @GetMapping
    @Operation(summary = "Read the tenant's Microsoft sign-in settings")
    public SsoView get(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant) {
        caller.requireAdminOf(tenant);
        return SsoView.of(service.find(tenant, SsoProvider.MICROSOFT)
                .orElseThrow(() -> ApiException.notFound("SSO settings")));
    }

    @PutMapping
    @Operation(summary = "Set the tenant's Microsoft sign-in settings",
            description = "The whole object is replaced, except that an omitted client_secret keeps the stored one.")
    public SsoView put(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant,
                       @RequestBody SsoRequest request) {
        caller.requireAdminOf(tenant);
        var changes = new SsoSettingsService.Changes(request.entraTenantId(), request.issuerUri(), request.clientId(),
                request.clientSecret(), request.callbackUrlPrefixes());
        return SsoView.of(caller.isSystemAdmin() ? service.put(tenant, SsoProvider.MICROSOFT, changes)
                : service.putWithMicrosoftIssuer(tenant, SsoProvider.MICROSOFT, changes));
    }

    @DeleteMapping
    @Operation(summary = "Turn Microsoft sign-in off for the tenant")
    @ApiResponse(responseCode = "204", description = "Turned off; no body")
    public ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant) {
        caller.requireAdminOf(tenant);
        service.delete(tenant, SsoProvider.MICROSOFT);
        return ResponseEntity.noContent().build();
    }
}
