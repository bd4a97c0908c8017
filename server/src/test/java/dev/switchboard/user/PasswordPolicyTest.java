package dev.switchboard.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Login password policy at its edges: length 8–128, at least two character classes. */
class PasswordPolicyTest {

    @Test
    void refusesMissingPasswords() {
        assertThat(PasswordPolicy.problem(null)).contains("required");
        assertThat(PasswordPolicy.problem("")).contains("required");
    }

    @Test
    void enforcesTheLengthBounds() {
        assertThat(PasswordPolicy.problem("Abcdef1")).contains("8 to 128");
        assertThat(PasswordPolicy.problem("Abcdefg1")).isNull();
        assertThat(PasswordPolicy.problem("A" + "b".repeat(127))).isNull();
        assertThat(PasswordPolicy.problem("A" + "b".repeat(128))).contains("8 to 128");
        // Characters as a user counts them: an emoji is one (two UTF-16 units).
        assertThat(PasswordPolicy.problem("Ab1\uD83C\uDF89\uD83C\uDF89\uD83C\uDF89\uD83C\uDF89")).contains("8 to 128");
        assertThat(PasswordPolicy.problem("A" + "\uD83C\uDF89".repeat(127))).isNull();
        assertThat(PasswordPolicy.problem("A" + "\uD83C\uDF89".repeat(128))).contains("8 to 128");
    }

    @Test
    void needsTwoCharacterClasses() {
        for (String weak : new String[] {"abcdefgh", "ABCDEFGH", "12345678", "!@#$%^&*", "        "}) {
            assertThat(PasswordPolicy.problem(weak)).as(weak).contains("at least two");
        }
        for (String ok : new String[] {"abcdefg1", "ABCDEFG1", "abcdefgH", "abcdefg!", "1234567!", "pass word"}) {
            assertThat(PasswordPolicy.problem(ok)).as(ok).isNull();
        }
    }
}
