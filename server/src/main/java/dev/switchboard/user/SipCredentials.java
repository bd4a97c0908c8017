package dev.switchboard.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SIP digest credentials of a user: HA1 = H(user:realm:password) for MD5 and SHA-256 (RFC 8760). */
public record SipCredentials(String ha1Md5, String ha1Sha256) {

    private static final Pattern USER_PART = Pattern.compile("[A-Za-z0-9\\-_.!~*'()&=+$,;?/]{1,64}");

    public static SipCredentials derive(String user, String realm, String password) {
        String a1 = user + ":" + realm + ":" + password;
        return new SipCredentials(hex("MD5", a1), hex("SHA-256", a1));
    }

    /** Why the SIP user part is refused, or null. */
    public static String extensionProblem(String extension) {
        if (!USER_PART.matcher(extension).matches()) {
            return "extension must be 1 to 64 characters valid in a SIP user part (letters, digits, -_.!~*'()&=+$,;?/)";
        }
        return null;
    }

    /** Why the SIP password is refused, or null. */
    public static String passwordProblem(String password) {
        if (password.length() < 8 || password.length() > 128) {
            return "sip_password must be 8 to 128 characters";
        }
        if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "sip_password must not contain control characters";
        }
        return null;
    }

    private static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
