package dev.switchboard.trunk;

import dev.switchboard.sip.net.Cidr;
import dev.switchboard.tenant.DomainNames;
import dev.switchboard.user.SipCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules for trunk and method fields (SPEC 3.3), with the defaults of omitted trunk fields. */
final class TrunkRules {

    static final int DEFAULT_PORT = 5060;
    static final String DEFAULT_TRANSPORT = "udp";
    static final String DEFAULT_USER_FORMAT = "%e164";
    private static final Set<String> TRANSPORTS = Set.of("udp", "tcp", "tls");
    /** A user-part template: SIP user-part characters plus {@code %} for placeholders such as {@code %e164}. */
    private static final Pattern USER_FORMAT = Pattern.compile("[A-Za-z0-9\\-_.!~*'()&=+$,;?/%]{1,64}");

    private TrunkRules() {
    }

    /** Trunk fields as a client sent them; null means omitted. */
    record TrunkInput(String name, String domain, Integer port, String transport, String user) {
    }

    /** Valid trunk fields, defaults filled in. */
    record TrunkFields(String name, String domain, int port, String transport, String userFormat) {
    }

    /** The widest source ranges an ip method may name: a provider's network, not a share of the Internet. */
    static final int WIDEST_IPV4_PREFIX = 16;
    static final int WIDEST_IPV6_PREFIX = 48;

    private static int widestPrefix(Cidr range) {
        return range.v6() ? WIDEST_IPV6_PREFIX : WIDEST_IPV4_PREFIX;
    }

    /** Method fields as a client sent them; null means omitted. */
    record MethodInput(String type, String ip, String username, String password) {
    }

    /** A valid method: for {@code sipuser} the password is still here, to be hashed and dropped. */
    record MethodFields(TrunkAuth.Type type, Optional<Cidr> ip, String username, String password) {
    }

    static TrunkFields trunk(TrunkInput in) {
        List<InvalidFields.FieldError> errors = new ArrayList<>();
        String name = in.name() == null ? null : in.name().strip();
        if (name == null || name.isEmpty()) {
            errors.add(new InvalidFields.FieldError("name", "name is required"));
        } else if (name.codePointCount(0, name.length()) > 128 || hasControl(name)) {
            errors.add(new InvalidFields.FieldError("name", "name must be 1 to 128 printable characters"));
        }
        String domain = in.domain() == null ? null : in.domain().strip();
        if (domain == null || domain.isEmpty()) {
            errors.add(new InvalidFields.FieldError("domain", "domain is required: where calls for the trunk go"));
        } else if (!DomainNames.isValid(domain)) {
            errors.add(new InvalidFields.FieldError("domain", "domain must be a fully qualified name or an IP address"));
        }
        int port = in.port() == null ? DEFAULT_PORT : in.port();
        if (port < 1 || port > 65535) {
            errors.add(new InvalidFields.FieldError("port", "port must be 1 to 65535"));
        }
        String transport = in.transport() == null ? DEFAULT_TRANSPORT : in.transport().toLowerCase(Locale.ROOT);
        if (!TRANSPORTS.contains(transport)) {
            errors.add(new InvalidFields.FieldError("transport", "transport must be udp, tcp or tls"));
        }
        String user = in.user() == null ? DEFAULT_USER_FORMAT : in.user();
        if (!USER_FORMAT.matcher(user).matches()) {
            errors.add(new InvalidFields.FieldError("user",
                    "user must be 1 to 64 characters valid in a SIP user part, with % placeholders such as %e164"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return new TrunkFields(name, domain, port, transport, user);
    }

    static MethodFields method(MethodInput in) {
        List<InvalidFields.FieldError> errors = new ArrayList<>();
        Optional<TrunkAuth.Type> type = TrunkAuth.Type.ofWire(in.type() == null ? "" : in.type());
        if (type.isEmpty()) {
            throw InvalidFields.of("type", in.type() == null || in.type().isBlank() ? "type is required: ip or sipuser"
                    : "type must be ip or sipuser");
        }
        String ipText = in.ip() == null ? "" : in.ip().strip();
        Optional<Cidr> ip = Optional.empty();
        if (!ipText.isEmpty()) {
            ip = Cidr.parse(ipText);
            if (ip.isEmpty()) {
                errors.add(new InvalidFields.FieldError("ip",
                        "ip must be an IPv4 or IPv6 address or CIDR range (such as 192.0.2.0/24)"));
            } else if (ip.get().prefix() < widestPrefix(ip.get())) {
                // A source range identifies one trunk for every tenant (SPEC 3.3): ::/0 or 0.0.0.0/1
                // would make one tenant's trunk of every caller of the others.
                errors.add(new InvalidFields.FieldError("ip", "ip ranges may be no wider than /"
                        + WIDEST_IPV4_PREFIX + " (IPv4) or /" + WIDEST_IPV6_PREFIX + " (IPv6)"));
            }
        } else if (type.get() == TrunkAuth.Type.IP) {
            errors.add(new InvalidFields.FieldError("ip", "ip is required for type ip"));
        }
        String username = in.username() == null ? "" : in.username();
        String password = in.password() == null ? "" : in.password();
        if (type.get() == TrunkAuth.Type.SIPUSER) {
            if (username.isEmpty()) {
                errors.add(new InvalidFields.FieldError("username", "username is required for type sipuser"));
            } else if (SipCredentials.extensionProblem(username) != null) {
                errors.add(new InvalidFields.FieldError("username",
                        "username must be 1 to 64 characters valid in a SIP user part (letters, digits, -_.!~*'()&=+$,;?/)"));
            }
            int characters = password.codePointCount(0, password.length());
            if (characters < 8 || characters > 64 || hasControl(password)) {
                errors.add(new InvalidFields.FieldError("password",
                        "password is required for type sipuser: 8 to 64 characters, no control characters"));
            }
        } else if (!username.isEmpty() && (username.length() > 64 || hasControl(username))) {
            errors.add(new InvalidFields.FieldError("username", "username must be at most 64 printable characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        // An ip method keeps its username only as a label; its password is never used, so never kept.
        return new MethodFields(type.get(), ip, username, type.get() == TrunkAuth.Type.SIPUSER ? password : "");
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }
}
