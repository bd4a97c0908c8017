package dev.switchboard.registrar;

import dev.switchboard.sip.message.Params;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.message.Uri;
import dev.switchboard.sip.net.IpText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Contact URIs compared as RFC 3261 §19.1.4 says, in two parts. The key holds what must be equal:
 * scheme, user (case-sensitive), host (case-insensitive), port with its default, the user, ttl,
 * method and maddr parameters (present in only one URI, they never match) and the URI headers
 * (never ignored). {@link #otherParamsAgree} checks the rest: any other parameter named by both
 * URIs must have the same value there, and one named by only one of them is ignored. That second
 * rule is not transitive, so it cannot be folded into a key.
 */
final class ContactKeys {

    private static final List<String> NEVER_IGNORED = List.of("user", "ttl", "method", "maddr");

    private ContactKeys() {
    }

    static String of(Uri any) {
        if (!(any instanceof SipUri uri)) {
            return any.toString().toLowerCase(Locale.ROOT);
        }
        StringBuilder key = new StringBuilder(64).append(uri.scheme().toLowerCase(Locale.ROOT)).append(':')
                .append(uri.user().orElse("")).append('@').append(host(uri.host()))
                .append(':').append(uri.portOrDefault());
        Params params = uri.params();
        for (String name : NEVER_IGNORED) {
            if (params.has(name)) {
                String value = params.get(name).orElse("");
                key.append(';').append(name).append('=').append(value.toLowerCase(Locale.ROOT));
            }
        }
        uri.headers().ifPresent(headers -> key.append('?').append(sortedHeaders(headers)));
        return key.toString();
    }

    /**
     * The host as compared: case-insensitive, and an IPv6 literal in its one spelling, so
     * {@code [0:0:0:0:0:0:0:1]} and {@code [::1]} are one contact, not two bindings each rung
     * (a probe's phone got three INVITEs for one call).
     */
    private static String host(String host) {
        return IpText.canonicalIpv6(host).map(h -> "[" + h + "]").orElse(host.toLowerCase(Locale.ROOT));
    }

    /** The key of a stored contact; a value that no longer parses is compared as text. */
    static String of(String contact) {
        try {
            return of(Uri.parse(contact));
        } catch (IllegalArgumentException e) {
            return contact;
        }
    }

    /**
     * Whether the parameters outside the key of two contacts with equal keys agree: each one both
     * name has the same value (case-insensitive) in both.
     */
    static boolean otherParamsAgree(String a, String b) {
        Params pa;
        Params pb;
        try {
            if (!(Uri.parse(a) instanceof SipUri ua) || !(Uri.parse(b) instanceof SipUri ub)) {
                return true;
            }
            pa = ua.params();
            pb = ub.params();
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
        for (int i = 0; i < pa.size(); i++) {
            String name = pa.name(i);
            if (NEVER_IGNORED.contains(name.toLowerCase(Locale.ROOT)) || !pb.has(name)) {
                continue;
            }
            String va = pa.valueAt(i);
            String vb = pb.get(name).orElse(null);
            if (!Objects.equals(va == null ? null : va.toLowerCase(Locale.ROOT),
                    vb == null ? null : vb.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** The header part with its fields in name order (names case-insensitive), as their order does not matter. */
    private static String sortedHeaders(String headers) {
        String[] fields = headers.split("&");
        List<String> normalised = new ArrayList<>(fields.length);
        for (String field : fields) {
            int eq = field.indexOf('=');
            normalised.add(eq < 0 ? field.toLowerCase(Locale.ROOT)
                    : field.substring(0, eq).toLowerCase(Locale.ROOT) + field.substring(eq));
        }
        normalised.sort(null);
        return String.join("&", normalised);
    }
}
