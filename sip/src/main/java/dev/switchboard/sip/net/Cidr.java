package dev.switchboard.sip.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address range in CIDR form, host bits cleared. The address is held as two
 * longs ({@code hi} is unused for IPv4) so ranges compare, hash and mask without allocation.
 * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are IPv4: a source seen on a dual-stack
 * socket must match the same range as on an IPv4 one.
 */
public record Cidr(boolean v6, long hi, long lo, int prefix) {

    public Cidr {
        int max = v6 ? 128 : 32;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix out of range: " + prefix);
        }
        long[] masked = mask(v6, hi, lo, prefix);
        hi = masked[0];
        lo = masked[1];
    }

    public int maxPrefix() {
        return v6 ? 128 : 32;
    }

    /** The single address as a full-length range. */
    public static Cidr of(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return new Cidr(false, 0, Integer.toUnsignedLong(toInt(b, 0)), 32);
        }
        return new Cidr(true, toLong(b, 0), toLong(b, 8), 128);
    }

    /**
     * Parses an address or a range ({@code 192.0.2.0/24}, {@code 2001:db8::/32}); empty on
     * anything else. Host bits below the prefix are cleared. Never resolves a name: only
     * numeric text reaches {@link InetAddress}.
     */
    public static Optional<Cidr> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        String address = text;
        int prefix = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (bits.length() > 1 && bits.charAt(0) == '0')) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(bits);
            address = text.substring(0, slash);
        }
        if (address.indexOf(':') >= 0) {
            return parseV6(address, prefix);
        }
        int bits = prefix;
        return parseV4(address).flatMap(v -> withPrefix(v, bits));
    }

    private static Optional<Cidr> withPrefix(long v4, int prefix) {
        int p = prefix < 0 ? 32 : prefix;
        return p > 32 ? Optional.empty() : Optional.of(new Cidr(false, 0, v4, p));
    }

    /** A strict dotted quad: four decimal octets 0–255, no leading zeros (they read as octal elsewhere). */
    private static Optional<Long> parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return Optional.empty();
            }
            value = (value << 8) | octet;
        }
        return Optional.of(value);
    }

    private static Optional<Cidr> parseV6(String s, int prefix) {
        // Only hex digits, colons and dots (an embedded IPv4 tail): no zone ids, no names.
        if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return Optional.empty();
        }
        int dot = s.indexOf('.');
        if (dot >= 0 && parseV4(s.substring(s.lastIndexOf(':') + 1)).isEmpty()) {
            return Optional.empty();
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(s);
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
        if (parsed instanceof Inet4Address) {
            // ::ffff:a.b.c.d came back as IPv4; its prefix counts the 96 mapped bits.
            int p = prefix < 0 ? 128 : prefix;
            if (p < 96) {
                return Optional.empty();
            }
            return Optional.of(new Cidr(false, 0, Integer.toUnsignedLong(toInt(parsed.getAddress(), 0)), p - 96));
        }
        byte[] b = parsed.getAddress();
        int p = prefix < 0 ? 128 : prefix;
        if (p > 128) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(true, toLong(b, 0), toLong(b, 8), p));
    }

    /** Whether this range holds every address of the other one. */
    public boolean contains(Cidr other) {
        if (other.v6 != v6 || other.prefix < prefix) {
            return false;
        }
        long[] m = mask(v6, other.hi, other.lo, prefix);
        return m[0] == hi && m[1] == lo;
    }

    /** Two CIDR ranges overlap exactly when one contains the other. */
    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** Canonical text: the address alone for a single host, else {@code address/prefix}; IPv6 as RFC 5952. */
    @Override
    public String toString() {
        String address = v6 ? formatV6(hi, lo) : formatV4(lo);
        return prefix == maxPrefix() ? address : address + "/" + prefix;
    }

    static long[] mask(boolean v6, long hi, long lo, int prefix) {
        if (!v6) {
            long m = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            return new long[] {0, lo & m};
        }
        long mh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long ml = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return new long[] {hi & mh, lo & ml};
    }

    private static String formatV4(long v) {
        return ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }

    /** RFC 5952: lowercase, no leading zeros, the longest run (2+ groups, first on a tie) of zeros as {@code ::}. */
    static String formatV6(long hi, long lo) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            groups[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static int toInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static long toLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
