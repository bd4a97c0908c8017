package dev.switchboard.auth;

import java.time.Instant;
import java.util.UUID;

/** Tokens handed out by one sign-in or refresh; the only time the secrets exist in clear. */
public record IssuedTokens(
        UUID sessionId,
        String accessToken,
        Instant accessExpiresAt,
        long expiresIn,
        String refreshToken) {
}
