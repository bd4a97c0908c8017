package dev.switchboard.proxy;

/**
 * A trunk's {@code user} template (seed 002's {@code %e164}): how the dialled number is written in
 * the user part sent to the trunk. Placeholders: {@code %e164} the number in E.164 form ("+" and
 * digits; a leading international "00" becomes "+"; a number without either is sent as dialled,
 * its country being unknown), {@code %number} the digits only, {@code %user} the user part as
 * received. Any other text is kept, so {@code 9%number} dials with a prefix.
 */
public final class UserPartFormat {

    private UserPartFormat() {
    }

    public static String apply(String format, String dialled) {
        if (format == null || format.isBlank()) {
            return dialled;
        }
        return format.replace("%e164", e164(dialled)).replace("%number", digits(dialled)).replace("%user", dialled);
    }

    /** Whether a user part is a telephone number (digits, a leading "+", visual separators, * and #). */
    public static boolean isNumber(String user) {
        String d = stripSeparators(user);
        if (d.isEmpty() || d.equals("+")) {
            return false;
        }
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '*' || c == '#' || (c == '+' && i == 0);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String e164(String dialled) {
        String d = stripSeparators(dialled);
        if (d.startsWith("+")) {
            return "+" + digits(d);
        }
        if (d.startsWith("00")) {
            return "+" + digits(d.substring(2));
        }
        return d;
    }

    static String digits(String dialled) {
        StringBuilder b = new StringBuilder(dialled.length());
        for (int i = 0; i < dialled.length(); i++) {
            char c = dialled.charAt(i);
            if ((c >= '0' && c <= '9') || c == '*' || c == '#') {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** RFC 3966 visual separators. */
    private static String stripSeparators(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '-' && c != '.' && c != '(' && c != ')' && c != ' ') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
