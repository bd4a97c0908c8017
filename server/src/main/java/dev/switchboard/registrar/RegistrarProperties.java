package dev.switchboard.registrar;

import dev.switchboard.config.SettingRules;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The registrar's settings ({@code switchboard.registrar.*}).
 *
 * @param minExpires         shorter requested expiries get 423 Interval Too Brief with this Min-Expires
 * @param maxExpires         longer requested expiries are lowered to this, silently (RFC 3261 §10.3 step 7)
 * @param defaultExpires     expiry of a contact with neither an expires parameter nor an Expires header
 * @param expiryJitter       fraction (0..0.5) by which granted expiries are shortened at random, so
 *                           phones registered together (after a power cut) do not refresh together
 * @param maxContacts        contacts one address-of-record may hold
 * @param overflow           what a REGISTER beyond {@code maxContacts} gets
 * @param nonceLifetime      how long a digest nonce stays valid before it is stale
 * @param flushInterval      how often changed bindings are written to the database
 * @param sweepInterval      how often expired bindings are removed
 * @param directoryRefresh   how often the tenant and user tables are checked for changes (a stamp
 *                           query), and the in-memory credentials index reloaded in full when they
 *                           changed, so changes made on another node reach this one
 * @param throttle           failed digest attempts tolerated and the lock that follows
 * @param auditFlushInterval failed attempts are aggregated into one audit row per user and source
 *                           per interval, so a flood does not write a row per packet
 * @param clusterSync        how often the bindings other nodes wrote are read back (a full read of the
 *                           binding table); 0 turns it off for a single node
 * @param md5OnlyUserAgents  User-Agent prefixes (case-insensitive) of clients that cannot take a
 *                           SHA-256 challenge: they are challenged with MD5 alone. By default SIPp and
 *                           baresip (Debian 12's 1.0.0); every entry is a downgrade a client can ask
 *                           for by its User-Agent, so list only what needs it. A request without any
 *                           User-Agent gets MD5 first and SHA-256 second.
 */
@ConfigurationProperties("switchboard.registrar")
public record RegistrarProperties(
        @DefaultValue("60s") Duration minExpires,
        @DefaultValue("3600s") Duration maxExpires,
        @DefaultValue("3600s") Duration defaultExpires,
        @DefaultValue("0.05") double expiryJitter,
        @DefaultValue("10") int maxContacts,
        @DefaultValue("REJECT") OverflowPolicy overflow,
        @DefaultValue("300s") Duration nonceLifetime,
        @DefaultValue("250ms") Duration flushInterval,
        @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue("500ms") Duration directoryRefresh,
        @DefaultValue Throttle throttle,
        @DefaultValue("5s") Duration auditFlushInterval,
        @DefaultValue({"SIPp", "baresip"}) List<String> md5OnlyUserAgents,
        @DefaultValue("500ms") Duration clusterSync) {

    public RegistrarProperties {
        SettingRules.positive("switchboard.registrar.min-expires", minExpires);
        SettingRules.positive("switchboard.registrar.max-expires", maxExpires);
        if (maxExpires.compareTo(minExpires) < 0) {
            throw new IllegalArgumentException("switchboard.registrar.max-expires (" + maxExpires
                    + ") must not be below switchboard.registrar.min-expires (" + minExpires + ")");
        }
        SettingRules.positive("switchboard.registrar.default-expires", defaultExpires);
        if (expiryJitter < 0 || expiryJitter > 0.5) {
            throw new IllegalArgumentException("switchboard.registrar.expiry-jitter must be 0 to 0.5, not "
                    + expiryJitter);
        }
        SettingRules.atLeast("switchboard.registrar.max-contacts", maxContacts, 1);
        SettingRules.positive("switchboard.registrar.nonce-lifetime", nonceLifetime);
        SettingRules.positive("switchboard.registrar.flush-interval", flushInterval);
        SettingRules.positive("switchboard.registrar.sweep-interval", sweepInterval);
        SettingRules.positive("switchboard.registrar.directory-refresh", directoryRefresh);
        SettingRules.positive("switchboard.registrar.audit-flush-interval", auditFlushInterval);
        SettingRules.zeroOrPositive("switchboard.registrar.cluster-sync", clusterSync);
    }

    /** Policy when an address-of-record would exceed {@code maxContacts}. */
    public enum OverflowPolicy {
        /** Refuse the REGISTER with 403 Too Many Contacts; existing bindings stay. */
        REJECT,
        /** Drop the bindings refreshed longest ago to make room. */
        REPLACE_OLDEST
    }

    /**
     * @param userFailures failed attempts for one user (from anywhere) within the window before it is locked
     * @param ipFailures   failed attempts from one source address within the window before it is locked
     * @param window       counting window
     * @param lockTime     how long a locked user or address gets 403 without any digest work
     * @param maxTracked   bound of each counter map, so a flood from spoofed addresses cannot exhaust memory
     */
    public record Throttle(
            @DefaultValue("10") int userFailures,
            @DefaultValue("30") int ipFailures,
            @DefaultValue("15m") Duration window,
            @DefaultValue("15m") Duration lockTime,
            @DefaultValue("100000") int maxTracked) {

        public Throttle {
            SettingRules.atLeast("switchboard.registrar.throttle.user-failures", userFailures, 1);
            SettingRules.atLeast("switchboard.registrar.throttle.ip-failures", ipFailures, 1);
            SettingRules.positive("switchboard.registrar.throttle.window", window);
            SettingRules.positive("switchboard.registrar.throttle.lock-time", lockTime);
            SettingRules.atLeast("switchboard.registrar.throttle.max-tracked", maxTracked, 1);
        }
    }
}
