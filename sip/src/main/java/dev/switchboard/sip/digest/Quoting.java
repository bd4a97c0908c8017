package dev.switchboard.sip.digest;

/** Writes RFC 3261 quoted-strings, refusing characters that would break out of the header line. */
final class Quoting {

    private Quoting() {
    }

    static void appendQuoted(StringBuilder sb, String value) {
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                // A CR or LF here would let a value inject headers; this is a caller bug, not input.
                throw new IllegalArgumentException("control character in digest parameter value");
            }
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    /** Writes {@code value} bare when it is an RFC 3261 token, else as a quoted-string. */
    static void appendTokenOrQuoted(StringBuilder sb, String value) {
        boolean token = !value.isEmpty();
        for (int i = 0; i < value.length() && token; i++) {
            char c = value.charAt(i);
            token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-.!%*_+`'~".indexOf(c) >= 0;
        }
        if (token) {
            sb.append(value);
        } else {
            appendQuoted(sb, value);
        }
    }
}
