package dev.switchboard.proxy;

/** What the SIP router needs to let calls in and route them, handed to it in one piece. */
public record CallServices(CallAuthenticator gate, CallRouter router, ProxyProperties properties) {
}
