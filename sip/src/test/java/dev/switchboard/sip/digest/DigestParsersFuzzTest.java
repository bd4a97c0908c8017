package dev.switchboard.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * Hostile header values must never make the parsers or the verifier throw. Runs the seed
 * inputs in a normal build; with {@code JAZZER_FUZZ=1} it fuzzes for 15 s.
 */
class DigestParsersFuzzTest {

    private static final NonceService NONCES = new NonceService(
            "fuzzing key, fuzzing key, fuzzin".getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(1),
            java.time.Clock.systemUTC(), new SecureRandom());
    private static final DigestVerifier VERIFIER = new DigestVerifier(NONCES,
            DigestVerifier.Settings.defaults().withAllowNoQop(true));
    private static final Ha1Set HA1 = Ha1Set.fromPassword("u", "r", "p");

    @FuzzTest(maxDuration = "15s")
    void parsersNeverThrow(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString();
        DigestChallenge.parse(value).ifPresent(c -> assertThat(c.realm()).isNotNull());
        DigestCredentials.parse(value).ifPresent(c -> {
            assertThat(c.response()).matches("[0-9a-f]+");
            c.nonceCount();
        });
        assertThat(VERIFIER.verify(value, "REGISTER", "sip:r", "r", HA1)).isNotNull();
        assertThat(NONCES.validate(value, "r")).isNotNull();
        DigestClient.best(java.util.List.of(value));
    }
}
