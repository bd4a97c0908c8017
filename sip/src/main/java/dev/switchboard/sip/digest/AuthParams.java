package dev.switchboard.sip.digest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a {@code Digest} challenge or credentials header value into its parameters.
 *
 * <p>Tolerant where real clients differ (any case for scheme and names, optional spaces
 * around {@code =} and {@code ,}, folded lines, empty list elements, quoted or bare
 * values), strict where a lenient reading would be ambiguous or hostile (duplicate
 * names, control characters, unterminated quotes, oversized input): those give
 * {@link Optional#empty()}. It never throws.
 */
final class AuthParams {

    /** Far above any honest header value; bounds the work a hostile one can cause. */
    static final int MAX_LENGTH = 8192;
    static final int MAX_PARAMS = 32;
    private static final String SCHEME = "digest";

    private final String in;
    private int pos;

    private AuthParams(String in) {
        this.in = in;
    }

    /** Parameters keyed by lowercase name, in order of appearance; empty if not a well-formed Digest value. */
    static Optional<Map<String, String>> parse(String headerValue) {
        if (headerValue == null || headerValue.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        return new AuthParams(headerValue).parse();
    }

    private Optional<Map<String, String>> parse() {
        skipWs();
        String scheme = token();
        if (!scheme.toLowerCase(Locale.ROOT).equals(SCHEME) || !skipWs()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        boolean needSeparator = false;
        while (true) {
            skipWs();
            if (pos == in.length()) {
                break;
            }
            if (in.charAt(pos) == ',') {
                pos++;
                needSeparator = false;
                continue;
            }
            if (needSeparator) {
                return Optional.empty();
            }
            String name = token().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                return Optional.empty();
            }
            skipWs();
            if (pos == in.length() || in.charAt(pos) != '=') {
                return Optional.empty();
            }
            pos++;
            skipWs();
            Optional<String> value = value();
            if (value.isEmpty() || params.size() == MAX_PARAMS || params.putIfAbsent(name, value.get()) != null) {
                return Optional.empty();
            }
            needSeparator = true;
        }
        return params.isEmpty() ? Optional.empty() : Optional.of(Collections.unmodifiableMap(params));
    }

    private Optional<String> value() {
        if (pos < in.length() && in.charAt(pos) == '"') {
            return quoted();
        }
        // Bare values: any visible ASCII except the separators that would make the list ambiguous.
        int start = pos;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c <= ' ' || c >= 0x7F || c == ',' || c == '"' || c == '\\') {
                break;
            }
            pos++;
        }
        return pos == start ? Optional.empty() : Optional.of(in.substring(start, pos));
    }

    private Optional<String> quoted() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < in.length()) {
            char c = in.charAt(pos++);
            if (c == '"') {
                return Optional.of(sb.toString());
            }
            if (c == '\\') {
                if (pos == in.length()) {
                    return Optional.empty();
                }
                c = in.charAt(pos++);
                if (isControl(c)) {
                    return Optional.empty();
                }
            } else if (isControl(c) && c != '\t') {
                return Optional.empty();
            }
            sb.append(c);
        }
        return Optional.empty();
    }

    private String token() {
        int start = pos;
        while (pos < in.length() && isTokenChar(in.charAt(pos))) {
            pos++;
        }
        return in.substring(start, pos);
    }

    /** Skips linear white space, including an RFC 3261 line fold (CRLF or bare LF, then space); true if any was skipped. */
    private boolean skipWs() {
        int start = pos;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '\r' && pos + 2 < in.length() && in.charAt(pos + 1) == '\n'
                    && (in.charAt(pos + 2) == ' ' || in.charAt(pos + 2) == '\t')) {
                pos += 3;
            } else if (c == '\n' && pos + 1 < in.length() && (in.charAt(pos + 1) == ' ' || in.charAt(pos + 1) == '\t')) {
                // A bare-LF fold, as text copied from an RFC or a lenient peer has it.
                pos += 2;
            } else {
                break;
            }
        }
        return pos > start;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7F;
    }

    /** RFC 3261 token characters. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-.!%*_+`'~".indexOf(c) >= 0;
    }
}
