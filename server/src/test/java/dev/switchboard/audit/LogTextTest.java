package dev.switchboard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void aForgedLineOrAHiddenCharacterStaysOnTheOneLine() {
        assertThat(LogText.of("bob\n2026-12-07T16:21:00.000Z  INFO audit : FORGED LINE"))
                .isEqualTo("bob?2026-12-07T16:21:00.000Z  INFO audit : FORGED LINE");
        assertThat(LogText.of("a\r\u0000\u001b[31mb\u2028c\u0085")).isEqualTo("a???[31mb?c?");
        assertThat(LogText.of("alice@acme.example.com")).isEqualTo("alice@acme.example.com");
        assertThat(LogText.of(null)).isNull();
    }

    @Test
    void aLongValueIsCut() {
        assertThat(LogText.of("d".repeat(5_000))).hasSize(LogText.MAX + 1).endsWith("…");
        assertThat(LogText.of("d".repeat(LogText.MAX))).hasSize(LogText.MAX);
    }
}
