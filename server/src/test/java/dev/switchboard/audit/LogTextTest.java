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

    @Test
    void aStoredFieldKeepsWholeCharactersOnlySoItsJsonStaysValid() {
        // A lone surrogate in an audit subject made every audit page invalid JSON for jq.
        assertThat(LogText.clean("\ud800@acme.example.com", 400)).isEqualTo("?@acme.example.com");
        assertThat(LogText.clean("x\udc00y", 400)).isEqualTo("x?y");
        assertThat(LogText.clean("alice\u0000", 400)).isEqualTo("alice?");
        String emoji = "\uD83C\uDF89";
        assertThat(LogText.clean("a" + emoji + "b", 400)).isEqualTo("a" + emoji + "b");
        // Cut between the halves of a pair: the half left is no character.
        assertThat(LogText.clean("a" + emoji, 2)).isEqualTo("a?");
    }
}
