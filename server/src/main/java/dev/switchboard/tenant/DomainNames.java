package dev.switchboard.tenant;

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

    /** The form under which domains are compared and kept unique. */
    public static String key(String domain) {
        return domain.toLowerCase(Locale.ROOT);
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
