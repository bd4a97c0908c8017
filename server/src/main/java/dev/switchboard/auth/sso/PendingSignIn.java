package dev.switchboard.auth.sso;

import java.time.Instant;
import java.util.UUID;

/** An authorization request in flight, found again by its state when the IdP sends the browser back. */
public record PendingSignIn(
        UUID tenantId,
        SsoProvider provider,
        String nonce,
        String codeVerifier,
        String callbackUrl,
        String redirectUri,
        Instant expiresAt) {
}
