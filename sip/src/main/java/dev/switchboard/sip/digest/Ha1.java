package dev.switchboard.sip.digest;

/** Computes HA1 = H(username:realm:password), the form in which SIP passwords are stored (RFC 8760). */
public final class Ha1 {

    private Ha1() {
    }

    /** Lowercase hex MD5 HA1. */
    public static String md5(String username, String realm, String password) {
        return of(DigestAlgorithm.MD5, username, realm, password);
    }

    /** Lowercase hex SHA-256 HA1. */
    public static String sha256(String username, String realm, String password) {
        return of(DigestAlgorithm.SHA_256, username, realm, password);
    }

    /** HA1 for the hash of {@code algorithm}; for -sess variants this is the stored (non-session) HA1. */
    public static String of(DigestAlgorithm algorithm, String username, String realm, String password) {
        return algorithm.base().hash(username + ":" + realm + ":" + password);
    }
}
