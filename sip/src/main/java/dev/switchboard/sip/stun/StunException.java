package dev.switchboard.sip.stun;

import java.io.IOException;

/** A Binding transaction failed: no answer in time, an error response, or a socket problem. */
public class StunException extends IOException {

    private static final long serialVersionUID = 1L;

    public StunException(String message) {
        super(message);
    }

    public StunException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No valid answer arrived within the retransmission schedule or the overall timeout. */
    public static final class Timeout extends StunException {

        private static final long serialVersionUID = 1L;

        public Timeout(String message) {
            super(message);
        }
    }
}
