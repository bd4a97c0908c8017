package dev.switchboard.registrar;

import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.message.Uri;
import java.util.Locale;

/**
 * The form in which Contact URIs are compared (RFC 3261 §19.1.4, the parts that matter for
 * bindings): scheme, user (case-sensitive), host (case-insensitive), port with its default,
 * and transport. Other URI parameters do not make a contact different.
 */
final class ContactKeys {

    private ContactKeys() {
    }

    static String of(Uri any) {
        if (!(any instanceof SipUri uri)) {
            return any.toString().toLowerCase(Locale.ROOT);
        }
        return uri.scheme().toLowerCase(Locale.ROOT) + ":" + uri.user().orElse("") + "@"
                + uri.host().toLowerCase(Locale.ROOT) + ":" + uri.portOrDefault() + ";"
                + uri.param("transport").orElse("").toLowerCase(Locale.ROOT);
    }

    /** The key of a stored contact; a value that no longer parses is compared as text. */
    static String of(String contact) {
        try {
            return of(Uri.parse(contact));
        } catch (IllegalArgumentException e) {
            return contact;
        }
    }
}
