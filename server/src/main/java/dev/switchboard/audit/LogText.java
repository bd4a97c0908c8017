package dev.switchboard.audit;

/**
 * Text from a request (a username, a domain) made safe for one log line: control characters
 * (CR, LF, NUL, ESC) become {@code ?}, so nobody can start a forged line or hide one, and it is
 * cut at 200 characters, so nobody can flood the log with one field.
 */
public final class LogText {

    static final int MAX = 200;

    private LogText() {
    }

    public static String of(String text) {
        if (text == null) {
            return null;
        }
        int n = Math.min(text.length(), MAX);
        StringBuilder out = null;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
            if (control && out == null) {
                out = new StringBuilder(n + 1).append(text, 0, i);
            }
            if (out != null) {
                out.append(control ? '?' : c);
            }
        }
        String safe = out != null ? out.toString() : text.substring(0, n);
        return text.length() > MAX ? safe + "…" : safe;
    }
}
