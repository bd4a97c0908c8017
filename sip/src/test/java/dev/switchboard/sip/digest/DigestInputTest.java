package dev.switchboard.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hash input fed part by part must hash exactly what the joined string's UTF-8 bytes would. */
class DigestInputTest {

    @Test
    void hashesEveryKindOfTextAsItsUtf8Bytes() throws Exception {
        String[] texts = {"", "alice", "sip:tenant.example.com;transport=tcp", "Jürgen", "名前@例え.jp",
            "emoji \uD83D\uDCDE call", "unpaired \uD83D high", "unpaired \uDCDE low", "trailing \uD83D",
            "x".repeat(1_365), "é".repeat(1_366), "\u20AC".repeat(2_000)};
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            MessageDigest jdk = MessageDigest.getInstance(algorithm.base() == DigestAlgorithm.MD5 ? "MD5" : "SHA-256");
            for (String text : texts) {
                String expected = HexFormat.of().formatHex(jdk.digest(text.getBytes(StandardCharsets.UTF_8)));
                assertThat(algorithm.hash(text)).as(algorithm + " " + text).isEqualTo(expected);
                String joined = text + ":" + text;
                String expectedJoined = HexFormat.of().formatHex(jdk.digest(joined.getBytes(StandardCharsets.UTF_8)));
                byte[] fed = algorithm.input().part(text).colon().part(text).hex();
                assertThat(new String(fed, StandardCharsets.US_ASCII)).isEqualTo(expectedJoined);
            }
        }
    }

    @Test
    void theResponseIsTheRfcFormulaForEveryAlgorithmAndQop() {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            String ha1 = algorithm.base().hash("bob:realm.example:pässword");
            String sessionHa1 = algorithm.isSession() ? algorithm.hash(ha1 + ":n0nce:cn0nce") : ha1;
            String ha2 = algorithm.hash("REGISTER:sip:realm.example");
            String withQop = algorithm.hash(sessionHa1 + ":n0nce:00000001:cn0nce:auth:" + ha2);
            assertThat(DigestResponse.compute(algorithm, ha1, "n0nce", Optional.of("00000001"), Optional.of("cn0nce"),
                    Optional.of("auth"), "REGISTER", "sip:realm.example")).as(algorithm.token()).isEqualTo(withQop);
            if (!algorithm.isSession()) {
                String withoutQop = algorithm.hash(ha1 + ":n0nce:" + ha2);
                assertThat(DigestResponse.compute(algorithm, ha1, "n0nce", Optional.empty(), Optional.empty(),
                        Optional.empty(), "REGISTER", "sip:realm.example")).isEqualTo(withoutQop);
            }
        }
    }

    @Test
    void comparesTheResponseExactly() {
        byte[] expected = "0a1b".getBytes(StandardCharsets.US_ASCII);
        assertThat(DigestVerifier.equalInConstantTime(expected, "0a1b")).isTrue();
        assertThat(DigestVerifier.equalInConstantTime(expected, "0A1B")).isFalse();
        assertThat(DigestVerifier.equalInConstantTime(expected, "0a1c")).isFalse();
        assertThat(DigestVerifier.equalInConstantTime(expected, "0a1")).isFalse();
        assertThat(DigestVerifier.equalInConstantTime(expected, "0a1b0")).isFalse();
        // A character past Latin-1 whose low byte matches is still different.
        assertThat(DigestVerifier.equalInConstantTime(expected, "0a1\u0162")).isFalse();
    }
}
