package dev.switchboard.proxy;

/**
 * A SIP account a tenant's outside calls may leave through (SPEC 4.3, "out through the SIP
 * account"): where its provider is, and the digest credentials that answer the provider's
 * challenge. {@code password} is a secret: {@link #toString()} hides it.
 *
 * @param host the provider's host, the host part of the Request-URI sent to it
 * @param port the port of that Request-URI, -1 for none
 * @param hop  where requests go: the account's outbound proxy, else its registrar
 */
public record UpstreamAccount(String host, int port, Hop hop, String authUser, String password) {

    @Override
    public String toString() {
        return "UpstreamAccount[host=" + host + ", port=" + port + ", hop=" + hop + ", authUser=" + authUser
                + ", password=***]";
    }
}
