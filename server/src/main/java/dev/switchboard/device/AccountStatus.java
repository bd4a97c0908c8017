package dev.switchboard.device;

import java.time.Instant;
import java.util.Optional;

/**
 * The registration state of an account slot, as the agent saw it last.
 *
 * @param lastAttempt when the last registration was attempted (a REGISTER sent, or a connection or
 *                    name lookup for one tried), if ever
 * @param lastCode    the status code of the last final answer (408 for a timeout), if any
 * @param reason      a short human text of the last outcome
 * @param since       when {@code state} last changed
 */
public record AccountStatus(State state, Optional<Instant> lastAttempt, Optional<Integer> lastCode, String reason,
                            Instant since) {

    public enum State {
        /** A registration is in force upstream. */
        OK,
        /** Disabled, never configured, or not registered yet. */
        OFFLINE,
        /** The last attempt failed; the agent retries with back-off. */
        ERROR
    }

    public static AccountStatus offline(Instant since) {
        return new AccountStatus(State.OFFLINE, Optional.empty(), Optional.empty(), "not registered", since);
    }
}
