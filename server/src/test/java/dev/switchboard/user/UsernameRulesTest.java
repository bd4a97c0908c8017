package dev.switchboard.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Seed 003's username rules at their edges. */
class UsernameRulesTest {

    @Test
    void acceptsLettersDigitsAndTheFourAllowedSymbols() {
        for (String ok : new String[] {"a", "Z", "7", "o'neil", "first.last", "under_score", "da-sh", "_", "'", "-",
                "a.b.c", "1234", "x".repeat(64), "Admins", "rooted", "sysadmin"}) {
            assertThat(UsernameRules.problem(ok)).as(ok).isNull();
        }
    }

    @Test
    void refusesEmptyTooLongAndOtherCharacters() {
        assertThat(UsernameRules.problem(null)).contains("required");
        assertThat(UsernameRules.problem("")).contains("required");
        assertThat(UsernameRules.problem("x".repeat(65))).contains("64");
        for (String bad : new String[] {"a b", "a@b", "a/b", "é", "ä1", "tab\t", "quote\"", "semi;", "plus+",
                "line\n"}) {
            assertThat(UsernameRules.problem(bad)).as(bad).isNotNull();
        }
    }

    @Test
    void refusesALeadingOrTrailingPeriod() {
        for (String bad : new String[] {".", "..", ".a", "a.", ".a."}) {
            assertThat(UsernameRules.problem(bad)).as(bad).contains("period");
        }
        assertThat(UsernameRules.problem("a..b")).isNull();
    }

    @Test
    void reservesTheSystemAdministratorNamesInAnyCase() {
        for (String reserved : new String[] {"admin", "ADMIN", "Admin", "system", "SyStEm", "administrator",
                "Administrator", "root", "ROOT"}) {
            assertThat(UsernameRules.problem(reserved)).as(reserved).contains("reserved");
            assertThat(UsernameRules.isReserved(reserved)).isTrue();
        }
        assertThat(UsernameRules.isReserved("admin1")).isFalse();
    }

    @Test
    void comparesNamesWithoutCase() {
        assertThat(UsernameRules.key("O'Neil.Smith")).isEqualTo(UsernameRules.key("o'neil.smith"));
    }
}
