package dev.switchboard.auth.sso;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Checks and builds the client URLs that sign-in and password-reset answers are sent to. */
public final class CallbackUrls {

    private static final int MAX_LENGTH = 2048;

    private CallbackUrls() {
    }

    /** The URL parsed, if it is an absolute http or https URL with a host and no user info. */
    public static Optional<URI> parseHttp(String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_LENGTH
                || url.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    public static boolean isHttp(String url) {
        return parseHttp(url).isPresent();
    }

    /**
     * Whether the URL starts with one of the prefixes and has the same origin as it. The origin
     * test stops a prefix such as {@code https://app.example.com} from admitting
     * {@code https://app.example.com.evil.net/}, which a plain string prefix would.
     */
    public static boolean allowed(String url, List<String> prefixes) {
        Optional<URI> target = parseHttp(url);
        if (target.isEmpty() || hasDotSegment(target.get())) {
            return false;
        }
        for (String prefix : prefixes) {
            Optional<URI> allowed = parseHttp(prefix);
            if (allowed.isPresent() && url.startsWith(prefix) && sameOrigin(target.get(), allowed.get())) {
                return true;
            }
        }
        return false;
    }

    /** The URL with the parameters added to its query (before any fragment), values form-encoded. */
    public static String withParams(String url, Map<String, String> params) {
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        StringBuilder out = new StringBuilder(base);
        char separator = base.indexOf('?') < 0 ? '?' : (base.endsWith("?") || base.endsWith("&") ? 0 : '&');
        for (var e : params.entrySet()) {
            if (separator != 0) {
                out.append(separator);
            }
            out.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            separator = '&';
        }
        return out.append(fragment).toString();
    }

    /**
     * Whether the path climbs with {@code .} or {@code ..} segments, written plainly or escaped
     * ({@code %2e}, which browsers resolve as well), with a path parameter ({@code ..;}), or hidden
     * behind an escaped slash: {@code https://app/sso/../admin} starts with the prefix
     * {@code https://app/sso/} but is opened as {@code https://app/admin}.
     */
    private static boolean hasDotSegment(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("(?i)%2e", ".");
        // Escaped slashes and backslashes make segments some servers split again (…/..%2fadmin).
        if (path.matches("(?is).*(%2f|%5c|\\\\).*")) {
            return true;
        }
        for (String segment : path.split("/", -1)) {
            // A path parameter does not hide a dot segment from servlet containers: "..;x" is "..".
            int parameter = segment.indexOf(';');
            String name = parameter < 0 ? segment : segment.substring(0, parameter);
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String encode(String value) {
        return URLEncoder.encode(Objects.requireNonNullElse(value, ""), StandardCharsets.UTF_8);
    }
}
