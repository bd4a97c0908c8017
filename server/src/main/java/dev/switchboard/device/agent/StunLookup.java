package dev.switchboard.device.agent;

import dev.switchboard.device.SipAccountSettings;
import dev.switchboard.sip.stun.StunClient;
import dev.switchboard.sip.stun.StunException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the account's STUN server (RFC 5389 Binding) for our public address. The SIP socket
 * belongs to the engine, so the binding is learned from a fresh socket and only its address is
 * used (the SIP port is kept, as a port-preserving NAT maps it). Bounded to a few seconds:
 * without an answer the agent falls back to the local address and the registrar's received/rport.
 */
class StunLookup {

    private static final Logger log = LoggerFactory.getLogger(StunLookup.class);

    private final StunClient client = new StunClient(
            new StunClient.Settings(Duration.ofMillis(250), 3, Duration.ofSeconds(2)), Runnable::run);

    Optional<InetAddress> publicAddress(SipAccountSettings.Stun stun) {
        if (stun == null || stun.ip() == null || stun.ip().isEmpty()) {
            return Optional.empty();
        }
        try {
            String host = stun.ip().startsWith("[") ? stun.ip().substring(1, stun.ip().length() - 1) : stun.ip();
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(host), stun.port());
            return Optional.of(client.discover(server).getAddress());
        } catch (UnknownHostException | StunException e) {
            log.info("STUN server {}:{} gave no address ({}); using the local address", stun.ip(), stun.port(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
