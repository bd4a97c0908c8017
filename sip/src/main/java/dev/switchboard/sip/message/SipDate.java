package dev.switchboard.sip.message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The value of a Date header (RFC 3261 §20.17, §25.1 SIP-date): always GMT and always a two-digit
 * day, e.g. {@code Mon, 07 Dec 2026 05:12:30 GMT}. Java's RFC 1123 formatter writes a one-digit day
 * ("7 Dec"), which SIP's grammar does not allow.
 */
public final class SipDate {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The last second formatted: a registrar answers thousands of REGISTERs a second with one text. */
    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    private record Formatted(long epochSecond, String text) {
    }

    private SipDate() {
    }

    public static String format(Instant instant) {
        Formatted seen = last;
        long second = instant.getEpochSecond();
        if (seen.epochSecond() == second) {
            return seen.text();
        }
        Formatted now = new Formatted(second, FORMAT.format(Instant.ofEpochSecond(second)));
        last = now;
        return now.text();
    }
}
