package dev.switchboard.registrar;

import java.util.Locale;

/**
 * An address-of-record {@code user@domain}: the user part is the extension, the domain the
 * tenant's. {@link #key()} is the lower-case form the location store is indexed by.
 */
public record AddressOfRecord(String user, String domain) {

    public String key() {
        return (user + "@" + domain).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "sip:" + user + "@" + domain;
    }
}
