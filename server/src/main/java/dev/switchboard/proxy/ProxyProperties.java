package dev.switchboard.proxy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The proxy's settings ({@code switchboard.proxy.*}).
 *
 * @param ringTimeout    how long an INVITE may ring unanswered before its branches are cancelled
 *                       and the caller gets 408 (timer C of RFC 3261 §16.6, which must exceed 3 minutes
 *                       to be the RFC's; shorter is a ring timeout)
 * @param advertisedHost host written into Via and Record-Route (a public name or address behind NAT);
 *                       empty: the listening address, or the address the OS routes from towards the peer
 */
@ConfigurationProperties("switchboard.proxy")
public record ProxyProperties(
        @DefaultValue("181s") Duration ringTimeout,
        @DefaultValue("") String advertisedHost) {
}
