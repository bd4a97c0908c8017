package dev.switchboard.device.agent;

import dev.switchboard.device.SipAccountSettings;
import dev.switchboard.sip.transport.SipTransports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the account's STUN server (RFC 5389 Binding) for our public address and port, from the SIP
 * UDP socket itself: that socket's NAT mapping is what the registrar and callers will reach, so
 * both the address and the port go into Contact and Via. Bounded to a few seconds: without an
 * answer the agent falls back to the local address and the registrar's received/rport.
 */
class StunLookup {

    private static final Logger log = LoggerFactory.getLogger(StunLookup.class);
    private static final Duration RTO = Duration.ofMillis(250);
    private static final int ATTEMPTS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    Optional<InetSocketAddress> publicAddress(SipAccountSettings.Stun stun, SipTransports transports) {
        if (stun == null || stun.ip() == null || stun.ip().isEmpty()) {
            return Optional.empty();
        }
        try {
            String host = stun.ip().startsWith("[") ? stun.ip().substring(1, stun.ip().length() - 1) : stun.ip();
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(host), stun.port());
            return Optional.of(transports.stunBinding(server, RTO, ATTEMPTS)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (UnknownHostException | ExecutionException | TimeoutException e) {
            log.info("STUN server {}:{} gave no address ({}); using the local address", stun.ip(), stun.port(),
                    e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
