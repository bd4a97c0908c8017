package dev.switchboard.device;

import java.util.Optional;

/**
 * The settings of one SIP account slot of a tenant's user agent (BAS-IP's "SIP settings").
 * {@code password} is the plaintext the agent presents upstream; it never leaves the process
 * in an answer or a log line, which is why {@link #toString()} hides it.
 */
public record SipAccountSettings(
        String proxy,
        String realm,
        String user,
        String password,
        String transport,
        String userId,
        int registrationInterval,
        String outbound,
        Stun stun) {

    public static final String DEFAULT_TRANSPORT = "udp";
    public static final int DEFAULT_INTERVAL = 300;

    /** The STUN server the agent asks for its public address. */
    public record Stun(String ip, int port) {
    }

    /** The digest username: {@code user_id} when set, else {@code user}. */
    public String authUser() {
        return userId == null || userId.isEmpty() ? user : userId;
    }

    public Optional<String> outboundProxy() {
        return outbound == null || outbound.isEmpty() ? Optional.empty() : Optional.of(outbound);
    }

    public SipAccountSettings withPassword(String newPassword) {
        return new SipAccountSettings(proxy, realm, user, newPassword, transport, userId, registrationInterval,
                outbound, stun);
    }

    @Override
    public String toString() {
        return "SipAccountSettings[proxy=" + proxy + ", realm=" + realm + ", user=" + user + ", password=***"
                + ", transport=" + transport + ", userId=" + userId + ", registrationInterval="
                + registrationInterval + ", outbound=" + outbound + ", stun=" + stun + "]";
    }
}
