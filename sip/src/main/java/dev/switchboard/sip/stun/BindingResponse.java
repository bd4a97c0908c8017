package dev.switchboard.sip.stun;

import java.net.InetSocketAddress;

/** What a datagram said in answer to our Binding request; sealed so every case is handled. */
public sealed interface BindingResponse {

    /** A Binding Success Response: the address the server saw us at. */
    record Success(InetSocketAddress mappedAddress) implements BindingResponse {
    }

    /** A Binding Error Response to our transaction, with its ERROR-CODE (RFC 5389 §15.6). */
    record Error(int code, String reason) implements BindingResponse {
    }

    /** Not a usable answer to our transaction: malformed, foreign or hostile; {@code why} is for logs. */
    record Invalid(String why) implements BindingResponse {
    }
}
