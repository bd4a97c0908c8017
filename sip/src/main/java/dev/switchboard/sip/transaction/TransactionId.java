package dev.switchboard.sip.transaction;

import java.util.Locale;

/**
 * Identifies a transaction (RFC 3261 §17.1.3, §17.2.3): the top Via branch and sent-by, and the
 * method, where ACK is folded into the INVITE it acknowledges. For RFC 2543 peers without a
 * magic-cookie branch the caller builds the branch from the 2543 matching fields instead.
 */
public record TransactionId(String branch, String sentBy, String method) {

    public static final String MAGIC_COOKIE = "z9hG4bK";

    public static TransactionId of(String branch, String sentBy, String method) {
        String m = method.toUpperCase(Locale.ROOT);
        return new TransactionId(branch, sentBy.toLowerCase(Locale.ROOT), m.equals("ACK") ? "INVITE" : m);
    }

    /** The key a client transaction is found by from a response: branch and CSeq method. */
    public static TransactionId client(String branch, String cseqMethod) {
        String m = cseqMethod.toUpperCase(Locale.ROOT);
        return new TransactionId(branch, "", m.equals("ACK") ? "INVITE" : m);
    }

    public static boolean isRfc3261Branch(String branch) {
        return branch != null && branch.startsWith(MAGIC_COOKIE);
    }
}
