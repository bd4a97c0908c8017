package dev.switchboard.sip.digest;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The stored HA1 values of one SIP identity, one per hash function, so the verifier can
 * check whichever algorithm the client chose.
 *
 * @param md5    lowercase hex MD5 HA1, if stored
 * @param sha256 lowercase hex SHA-256 HA1, if stored
 */
public record Ha1Set(Optional<String> md5, Optional<String> sha256) {

    public Ha1Set {
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(sha256, "sha256");
        // Storage may hold upper-case hex; the response is computed over the lowercase form.
        md5 = md5.map(h -> h.toLowerCase(Locale.ROOT));
        sha256 = sha256.map(h -> h.toLowerCase(Locale.ROOT));
    }

    /** Both HA1 values computed from a clear password, e.g. when a user's SIP password is set. */
    public static Ha1Set fromPassword(String username, String realm, String password) {
        return new Ha1Set(Optional.of(Ha1.md5(username, realm, password)),
                Optional.of(Ha1.sha256(username, realm, password)));
    }

    /** Stored hex values as they come from storage. */
    public static Ha1Set of(String md5Hex, String sha256Hex) {
        return new Ha1Set(Optional.of(md5Hex), Optional.of(sha256Hex));
    }

    /** No stored HA1: for unknown users, so they are rejected after the same work as a wrong password. */
    public static Ha1Set none() {
        return new Ha1Set(Optional.empty(), Optional.empty());
    }

    /** The stored HA1 that {@code algorithm} (or its -sess variant) builds on. */
    public Optional<String> forAlgorithm(DigestAlgorithm algorithm) {
        return algorithm.base() == DigestAlgorithm.MD5 ? md5 : sha256;
    }
}
