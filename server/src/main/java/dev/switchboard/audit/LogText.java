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
        String safe = clean(text, MAX);
        return text.length() > MAX ? safe + "…" : safe;
    }

    /**
     * The same for a stored field (an audit record's subject): at most {@code max} characters,
     * control characters and halves of surrogate pairs as {@code ?} (a lone one made every audit
     * page invalid JSON for strict readers such as jq).
     */
    public static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        int n = Math.min(text.length(), max);
        StringBuilder out = null;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            // A high half is kept with the low half after it (within the cut), and so that low half with it.
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))
                    : !Character.isLowSurrogate(c) || i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
            boolean bad = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || !paired;
            if (bad && out == null) {
                out = new StringBuilder(n).append(text, 0, i);
            }
            if (out != null) {
                out.append(bad ? '?' : c);
            }
        }
        return out != null ? out.toString() : text.substring(0, n);
    }
}
