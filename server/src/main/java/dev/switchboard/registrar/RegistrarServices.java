package dev.switchboard.registrar;

import java.time.Clock;

/** What the SIP router needs to handle REGISTER, handed to it in one piece. */
public record RegistrarServices(SipDirectory directory, RegisterAuthenticator authenticator, Registrar registrar,
                                Clock clock) {
}
