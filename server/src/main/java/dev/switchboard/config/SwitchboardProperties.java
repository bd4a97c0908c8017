package dev.switchboard.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Typed view of the {@code switchboard.*} configuration. */
@ConfigurationProperties("switchboard")
public record SwitchboardProperties(
        @DefaultValue("./data") Path dataDir,
        String adminPassword,
        String secretKey,
        String publicUrl,
        @DefaultValue Auth auth,
        @DefaultValue Mail mail,
        @DefaultValue Http http) {

    /** Token lifetimes, password hashing cost and login throttling. */
    public record Auth(
            @DefaultValue("1800s") Duration accessTokenTtl,
            @DefaultValue("30d") Duration refreshTokenTtl,
            @DefaultValue("10") int passwordHashCost,
            @DefaultValue Throttle throttle) {

        public Auth {
            SettingRules.positive("switchboard.auth.access-token-ttl", accessTokenTtl);
            SettingRules.positive("switchboard.auth.refresh-token-ttl", refreshTokenTtl);
        }
    }

    /** Failed sign-ins tolerated per user and per source address within a window, and the lock that follows. */
    public record Throttle(
            @DefaultValue("5") int userFailures,
            @DefaultValue("20") int ipFailures,
            @DefaultValue("15m") Duration window,
            @DefaultValue("15m") Duration lockTime) {

        public Throttle {
            SettingRules.atLeast("switchboard.auth.throttle.user-failures", userFailures, 1);
            SettingRules.atLeast("switchboard.auth.throttle.ip-failures", ipFailures, 1);
            SettingRules.positive("switchboard.auth.throttle.window", window);
            SettingRules.positive("switchboard.auth.throttle.lock-time", lockTime);
        }
    }

    /** Outgoing mail (password reset). */
    public record Mail(@DefaultValue("switchboard@localhost") String from) {
    }

    /**
     * Limits on HTTP requests. {@code maxRequestsPerSource}: requests one address may have in
     * progress at once (0: no limit), so slow bodies from one host cannot hold every worker thread.
     */
    public record Http(@DefaultValue("65536") long maxBodyBytes, @DefaultValue("32") int maxRequestsPerSource) {

        public Http {
            SettingRules.atLeast("switchboard.http.max-body-bytes", maxBodyBytes, 1024);
            SettingRules.atLeast("switchboard.http.max-requests-per-source", maxRequestsPerSource, 0);
        }
    }
}
