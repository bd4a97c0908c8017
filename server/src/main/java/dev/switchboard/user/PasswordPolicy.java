package dev.switchboard.user;

/** What a login password must be: 8–128 characters with at least two of lower case, upper case, digits, symbols. */
public final class PasswordPolicy {

    private PasswordPolicy() {
    }

    /** Why the password is refused, or null when it is acceptable. */
    public static String problem(String password) {
        if (password == null || password.isEmpty()) {
            return "password is required";
        }
        // Characters, not UTF-16 units: an emoji is one character, as a user counts it.
        int characters = password.codePointCount(0, password.length());
        if (characters < 8 || characters > 128) {
            return "password must be 8 to 128 characters";
        }
        int classes = 0;
        classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
        classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
        if (classes < 2) {
            return "password must mix at least two of lower case, upper case, digits and symbols";
        }
        return null;
    }
}
