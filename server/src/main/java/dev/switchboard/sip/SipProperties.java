package dev.switchboard.sip;

import dev.switchboard.config.SettingRules;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SIP engine's settings ({@code switchboard.sip.*}). A port of 0 picks a free port and -1
 * disables that transport; UDP and TCP share {@code port}. {@code maxRequestsPerSource}: messages
 * one source address may send per second before the rest of that second are dropped (0: no limit);
 * {@code maxConnectionsPerSource}: TCP/TLS connections one address may hold (0: no limit);
 * {@code messageReadTimeout}: how long a TCP/TLS peer has to finish a message it began.
 */
@ConfigurationProperties("switchboard.sip")
public record SipProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("::") String host,
        @DefaultValue("5060") int port,
        @DefaultValue("5061") int tlsPort,
        @DefaultValue("65535") int maxMessageBytes,
        @DefaultValue("10m") Duration idleTimeout,
        @DefaultValue("50000") int maxConnections,
        @DefaultValue("0") int threads,
        Path tlsKeyStore,
        @DefaultValue("") String tlsKeyStorePassword,
        @DefaultValue("true") boolean tlsVerifyPeers,
        @DefaultValue("1000") int maxRequestsPerSource,
        @DefaultValue("256") int maxConnectionsPerSource,
        @DefaultValue("20s") Duration messageReadTimeout) {

    public SipProperties {
        SettingRules.positive("switchboard.sip.idle-timeout", idleTimeout);
        SettingRules.atLeast("switchboard.sip.max-connections", maxConnections, 1);
        SettingRules.atLeast("switchboard.sip.threads", threads, 0);
        SettingRules.atLeast("switchboard.sip.max-requests-per-source", maxRequestsPerSource, 0);
        SettingRules.atLeast("switchboard.sip.max-connections-per-source", maxConnectionsPerSource, 0);
        SettingRules.positive("switchboard.sip.message-read-timeout", messageReadTimeout);
    }
}
