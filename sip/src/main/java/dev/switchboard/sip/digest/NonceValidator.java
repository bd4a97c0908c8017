package dev.switchboard.sip.digest;

/**
 * Decides whether a nonce is ours, for this realm, and fresh. {@link NonceService} is the
 * implementation; the seam exists so nonces from elsewhere (e.g. RFC examples) can be verified.
 */
@FunctionalInterface
public interface NonceValidator {

    /** Never throws, whatever the input. */
    NonceStatus validate(String nonce, String realm);
}
