package dev.switchboard.sip.message;

/**
 * Internal signal that a message is malformed; carries the status code to answer with.
 * Stackless because hostile input makes it frequent and the stack says nothing useful.
 */
final class ParseError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ParseError(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    static ParseError bad(String reason) {
        return new ParseError(400, reason);
    }
}
