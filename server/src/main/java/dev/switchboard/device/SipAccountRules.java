package dev.switchboard.device;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The value rules of SIP account settings. The BAS-IP documents give regular expressions that
 * do not compile as written; these are their intent as the specification states it: a host
 * is an IPv4 dotted quad, a DNS name of at least two labels, or (an extension) a bracketed
 * IPv6 literal; a port is 1–65535; names and passwords use one fixed character set.
 */
public final class SipAccountRules {

    /**
     * Letters, digits, white space and {@code ~!@#$%^&;*()_-+={[}]|"<,>.?/}. White space is space
     * and tab, not the seeds' {@code \s}: a CR or LF in a user name cannot go into a digest header
     * line, and an account accepted with one would never register.
     */
    private static final Pattern CHARSET = Pattern.compile("[0-9a-zA-Z \\t~!@#$%^&;*()_\\-+={\\[}\\]|\"<,>.?/]*");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private SipAccountRules() {
    }

    public static boolean proxy(String value) {
        return value.startsWith("sip:") && hostPort(value.substring(4));
    }

    public static boolean realm(String value) {
        return hostPort(value);
    }

    public static boolean outbound(String value) {
        return value.isEmpty() || hostPort(value);
    }

    public static boolean user(String value) {
        return text(value, 1, 31);
    }

    public static boolean password(String value) {
        return text(value, 6, 31);
    }

    public static boolean userId(String value) {
        return text(value, 0, 31);
    }

    public static boolean transport(String value) {
        return value.equals("udp") || value.equals("tcp") || value.equals("tls");
    }

    public static boolean interval(long seconds) {
        return seconds >= 30 && seconds <= 900;
    }

    public static boolean port(long port) {
        return port >= 1 && port <= 65535;
    }

    private static boolean text(String value, int min, int max) {
        return value.length() >= min && value.length() <= max && CHARSET.matcher(value).matches();
    }

    /** host, or host:port with a port of 1–65535 (digits only). */
    public static boolean hostPort(String value) {
        int colon = value.lastIndexOf(':');
        int bracket = value.lastIndexOf(']');
        if (colon < 0 || (value.startsWith("[") && colon < bracket)) {
            return host(value);
        }
        String port = value.substring(colon + 1);
        return host(value.substring(0, colon)) && port.length() >= 1 && port.length() <= 5
                && port.chars().allMatch(c -> c >= '0' && c <= '9') && port(Integer.parseInt(port));
    }

    public static boolean host(String value) {
        if (value.startsWith("[") && value.endsWith("]")) {
            return ipv6(value.substring(1, value.length() - 1));
        }
        var quad = IPV4.matcher(value);
        if (quad.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(quad.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        return dnsName(value);
    }

    /** At least two labels, and a top label that is not all digits (else 256.1.1.1 would pass as a name). */
    private static boolean dnsName(String value) {
        if (value.length() > 253 || value.endsWith(".")) {
            return false;
        }
        String[] labels = value.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    private static boolean ipv6(String literal) {
        // Only hex digits, colons and dots, with a colon: InetAddress then parses a literal and
        // never asks DNS.
        if (literal.indexOf(':') < 0 || !IPV6_CHARS.matcher(literal).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(literal);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
