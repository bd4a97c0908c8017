package dev.switchboard.tenant;

import dev.switchboard.sip.net.IpText;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validates SIP domains: a fully qualified domain name, an IPv4 address or a bracketed or bare IPv6 address. */
public final class DomainNames {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private DomainNames() {
    }

    public static boolean isValid(String domain) {
        if (domain == null || domain.isEmpty() || domain.length() > 253) {
            return false;
        }
        if (IPV4.matcher(domain).matches()) {
            return true;
        }
        String v6 = domain.startsWith("[") && domain.endsWith("]") ? domain.substring(1, domain.length() - 1) : domain;
        if (v6.contains(":")) {
            return isIpv6(v6);
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // A name whose last label is all digits would be a malformed IPv4 address.
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    /**
     * The form under which domains are compared and kept unique: lowercase, and an IPv6 address
     * in brackets and its one RFC 5952 spelling, as a SIP URI carries it ({@code [::1]} for
     * {@code ::1}, {@code [0:0::1]} or {@code [0:0:0:0:0:0:0:1]}).
     */
    public static String key(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        return lower.indexOf(':') < 0 ? lower : IpText.canonicalIpv6(lower).map(v6 -> "[" + v6 + "]").orElse(lower);
    }

    /** Whether two domains are one: equal in any case, an IPv6 address in any spelling. */
    public static boolean same(String a, String b) {
        return a.equalsIgnoreCase(b) || a.indexOf(':') >= 0 && key(a).equals(key(b));
    }

    /** A valid domain as it is kept: as given, except an IPv6 address, kept as its {@link #key}. */
    public static String canonical(String domain) {
        return domain.indexOf(':') < 0 ? domain : key(domain);
    }

    private static boolean isIpv6(String text) {
        if (!IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        try {
            // Only literal characters reach here, so no name lookup happens.
            return InetAddress.getByName(text).getAddress().length == 16;
        } catch (Exception e) {
            return false;
        }
    }
}
