package dev.switchboard.auth.sso;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant's OIDC client registration at one provider; the client secret stays sealed (SecretBox). */
public record SsoSettings(
        UUID tenantId,
        SsoProvider provider,
        String issuerUri,
        String clientId,
        String sealedClientSecret,
        List<String> callbackPrefixes,
        Instant updatedAt) {
}
