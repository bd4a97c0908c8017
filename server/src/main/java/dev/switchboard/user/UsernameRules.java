package dev.switchboard.user;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The PortSIP username rules (seed 003): 1–64 of letters, digits, {@code _ - ' .}, not starting or ending with a period. */
public final class UsernameRules {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_\\-'.]{1,64}");
    private static final Set<String> RESERVED = Set.of("admin", "system", "administrator", "root");

    private UsernameRules() {
    }

    /** Why the name is refused for a tenant user, or null when it is acceptable. */
    public static String problem(String username) {
        if (username == null || username.isEmpty()) {
            return "username is required";
        }
        if (!ALLOWED.matcher(username).matches()) {
            return "username must be 1 to 64 letters, digits, underscores, dashes, single quotes or periods";
        }
        if (username.startsWith(".") || username.endsWith(".")) {
            return "username cannot start or end with a period";
        }
        if (isReserved(username)) {
            return "username '" + username + "' is reserved for the system administrator";
        }
        return null;
    }

    public static boolean isReserved(String username) {
        return RESERVED.contains(username.toLowerCase(Locale.ROOT));
    }

    public static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
