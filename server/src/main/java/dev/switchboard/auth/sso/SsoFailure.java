package dev.switchboard.auth.sso;

/**
 * A sign-in that cannot complete after the state was accepted: the client is sent back to its
 * callback URL with {@code error} (an OAuth 2.0 error code) and a short description, and the
 * reason, which may say more, goes to the audit log.
 */
public class SsoFailure extends RuntimeException {

    private final String error;
    private final String description;

    public SsoFailure(String error, String description, String reason) {
        super(reason, null, false, false);
        this.error = error;
        this.description = description;
    }

    public static SsoFailure denied(String description, String reason) {
        return new SsoFailure("access_denied", description, reason);
    }

    public static SsoFailure provider(String reason) {
        return new SsoFailure("server_error", "the identity provider could not be used", reason);
    }

    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    public String reason() {
        return getMessage();
    }
}
