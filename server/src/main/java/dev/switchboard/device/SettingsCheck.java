package dev.switchboard.device;

/** The outcome of reading posted SIP account settings: valid settings, or the first thing wrong with them. */
public sealed interface SettingsCheck {

    record Valid(SipAccountSettings settings) implements SettingsCheck {
    }

    /** {@code field} is the dotted name of the field at fault ({@code stun.ip}), null for the body itself. */
    record Invalid(Problem problem, String field) implements SettingsCheck {

        /** The BAS-IP error text, word for word as its documents give it. */
        public String basIpMessage() {
            return switch (problem) {
                case NO_BODY -> "Wrong JSON body";
                case MISSING -> "Wrong JSON body: no value for `" + field + "`";
                case WRONG_TYPE -> "Wrong JSON body: value `" + field + "` was of the wrong type";
                case NOT_VALID -> "Wrong JSON body: value `" + field + "` is not valid";
            };
        }

        /** The same refusal in plain words, for the native surface. */
        public String detail() {
            return switch (problem) {
                case NO_BODY -> "The body must be a JSON object";
                case MISSING -> "Field '" + field + "' is required";
                case WRONG_TYPE -> "Field '" + field + "' has a value of the wrong type";
                case NOT_VALID -> "Field '" + field + "' is not valid";
            };
        }
    }

    /** In the order they are checked: every field is checked for one before any for the next. */
    enum Problem {
        NO_BODY,
        MISSING,
        WRONG_TYPE,
        NOT_VALID
    }
}
