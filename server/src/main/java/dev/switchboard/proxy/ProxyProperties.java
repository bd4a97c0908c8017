package dev.switchboard.proxy;

import dev.switchboard.config.SettingRules;
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
 * @param dialogPassLifetime how long after a call was let in the in-dialog requests of its two parties
 *                       follow the dialog without the trunk gate; after it (and always for anyone
 *                       else) they pass the gate first
 */
@ConfigurationProperties("switchboard.proxy")
public record ProxyProperties(
        @DefaultValue("181s") Duration ringTimeout,
        @DefaultValue("") String advertisedHost,
        @DefaultValue("12h") Duration dialogPassLifetime) {

    public ProxyProperties {
        SettingRules.positive("switchboard.proxy.ring-timeout", ringTimeout);
        SettingRules.positive("switchboard.proxy.dialog-pass-lifetime", dialogPassLifetime);
    }
}
