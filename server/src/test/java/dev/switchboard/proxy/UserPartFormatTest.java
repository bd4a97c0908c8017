package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserPartFormatTest {

    @Test
    void e164WritesPlusAndDigitsAndTurnsTheInternationalPrefixIntoPlus() {
        assertThat(UserPartFormat.apply("%e164", "+44 20 7946-0000")).isEqualTo("+442079460000");
        assertThat(UserPartFormat.apply("%e164", "0044 (20) 79460000")).isEqualTo("+442079460000");
        // A national number's country is unknown: it is sent as dialled.
        assertThat(UserPartFormat.apply("%e164", "02079460000")).isEqualTo("02079460000");
    }

    @Test
    void otherPlaceholdersAndLiteralText() {
        assertThat(UserPartFormat.apply("%number", "+1 (555) 010-9999")).isEqualTo("15550109999");
        assertThat(UserPartFormat.apply("9%number", "555-0100")).isEqualTo("95550100");
        assertThat(UserPartFormat.apply("%user", "+1-555")).isEqualTo("+1-555");
        assertThat(UserPartFormat.apply("", "123")).isEqualTo("123");
    }

    @Test
    void telephoneNumbersAreToldFromNames() {
        assertThat(UserPartFormat.isNumber("+44 20 7946 0000")).isTrue();
        assertThat(UserPartFormat.isNumber("*72#")).isTrue();
        assertThat(UserPartFormat.isNumber("alice")).isFalse();
        assertThat(UserPartFormat.isNumber("12+3")).isFalse();
        assertThat(UserPartFormat.isNumber("+")).isFalse();
        assertThat(UserPartFormat.isNumber("")).isFalse();
    }
}
