package dev.switchboard.registrar;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed digest attempts per source address and per user within a window, and locks a
 * key that reaches its limit for the lock time. In memory, on the SIP threads: a lookup is one
 * map read, no lock, no database. Each map is bounded; when full, expired entries go first and
 * then arbitrary ones, so a flood from spoofed addresses costs bounded memory and can at worst
 * make the throttle forget, never grow.
 *
 * <p>A locked user is refused from every source (as for HTTP sign-in), so a guesser spreading
 * over many addresses is stopped too; the price is that it can keep a user's phones out for the
 * lock time, which the audit log shows.
 */
public final class RegisterThrottle {

    /** What a failure led to. */
    public enum Verdict {
        COUNTED(null), USER_LOCKED("user"), IP_LOCKED("source address");

        private final String locked;

        Verdict(String locked) {
            this.locked = locked;
        }

        /** What this failure locked, in words for the audit log; empty when it locked nothing. */
        public java.util.Optional<String> locked() {
            return java.util.Optional.ofNullable(locked);
        }
    }

    private record Counter(int failures, Instant windowStart, Instant lockedUntil) {
    }

    /** A lock this node set, for {@link SharedSipLocks} to store; {@code key} as {@link #adopt} takes it. */
    public record Lock(String key, Instant until) {
    }

    private static final String IP = "ip:";
    private static final String USER = "user:";

    private final Map<String, Counter> byIp = new ConcurrentHashMap<>();
    private final Map<String, Counter> byUser = new ConcurrentHashMap<>();
    private final RegistrarProperties.Throttle settings;
    private final Clock clock;
    /** Locks set here and not yet stored; bounded like the maps (a lock is rare, a flood of them is not kept). */
    private final java.util.concurrent.BlockingQueue<Lock> newLocks;

    public RegisterThrottle(RegistrarProperties.Throttle settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.newLocks = new java.util.concurrent.ArrayBlockingQueue<>(Math.max(16, settings.maxTracked()));
    }

    /** The locks set on this node since the last call. */
    public java.util.List<Lock> takeNewLocks() {
        java.util.List<Lock> taken = new java.util.ArrayList<>();
        newLocks.drainTo(taken);
        return taken;
    }

    /** A lock set before a restart or by another node: refused here too until {@code until}. */
    public void adopt(String key, Instant until) {
        Map<String, Counter> map = key.startsWith(IP) ? byIp : key.startsWith(USER) ? byUser : null;
        if (map == null || !until.isAfter(clock.instant())) {
            return;
        }
        String k = key.substring(key.indexOf(':') + 1);
        if (!map.containsKey(k) && map.size() >= settings.maxTracked()) {
            evict(map, clock.instant());
        }
        map.compute(k, (x, c) -> c != null && c.lockedUntil() != null && !c.lockedUntil().isBefore(until) ? c
                : new Counter(0, c == null ? clock.instant() : c.windowStart(), until));
    }

    /** Whether the source address or the user is locked now. */
    public boolean isLocked(String ip, String user) {
        Instant now = clock.instant();
        return locked(byIp.get(ip), now) || locked(byUser.get(user), now);
    }

    /** Counts one failure for both keys; answers whether this failure locked one of them. */
    public Verdict fail(String ip, String user) {
        Verdict source = failSource(ip);
        Instant now = clock.instant();
        boolean userLocked = count(byUser, user, settings.userFailures(), now);
        if (userLocked) {
            newLocks.offer(new Lock(USER + user, now.plus(settings.lockTime())));
        }
        return userLocked ? Verdict.USER_LOCKED : source;
    }

    /**
     * Counts one failure of the source only: an attempt that could not have been a guess at any
     * user's password (digest credentials of one user presented for another's AOR, never checked
     * against either), so it must not count toward locking the user it named.
     */
    public Verdict failSource(String ip) {
        Instant now = clock.instant();
        boolean ipLocked = count(byIp, ip, settings.ipFailures(), now);
        if (ipLocked) {
            newLocks.offer(new Lock(IP + ip, now.plus(settings.lockTime())));
        }
        return ipLocked ? Verdict.IP_LOCKED : Verdict.COUNTED;
    }

    /**
     * A right password for the user: its failures so far are forgotten, as a sign-in resets the
     * login counter, so a phone that registers between a guesser's tries is not locked by the
     * tries of many addresses adding up. A lock already set stays until it runs out.
     */
    public void succeeded(String user) {
        Instant now = clock.instant();
        byUser.computeIfPresent(user, (k, c) -> locked(c, now) ? c : null);
    }

    /** Entries tracked, for tests of the bound. */
    public int tracked() {
        return byIp.size() + byUser.size();
    }

    private boolean count(Map<String, Counter> map, String key, int limit, Instant now) {
        if (!map.containsKey(key) && map.size() >= settings.maxTracked()) {
            evict(map, now);
        }
        boolean[] lockedNow = new boolean[1];
        map.compute(key, (k, c) -> {
            if (c == null || now.isAfter(c.windowStart().plus(settings.window())) && !locked(c, now)) {
                c = new Counter(0, now, null);
            }
            if (locked(c, now)) {
                return c;
            }
            int failures = c.failures() + 1;
            if (failures >= limit) {
                lockedNow[0] = true;
                return new Counter(failures, c.windowStart(), now.plus(settings.lockTime()));
            }
            return new Counter(failures, c.windowStart(), null);
        });
        return lockedNow[0];
    }

    private static boolean locked(Counter c, Instant now) {
        return c != null && c.lockedUntil() != null && now.isBefore(c.lockedUntil());
    }

    private void evict(Map<String, Counter> map, Instant now) {
        Duration window = settings.window();
        map.values().removeIf(c -> !locked(c, now) && now.isAfter(c.windowStart().plus(window)));
        // Still full: drop a tenth, unlocked entries first, so the map never grows past its bound.
        int excess = map.size() - settings.maxTracked() + Math.max(1, settings.maxTracked() / 10);
        for (int pass = 0; pass < 2 && excess > 0; pass++) {
            Iterator<Map.Entry<String, Counter>> it = map.entrySet().iterator();
            while (it.hasNext() && excess > 0) {
                Counter c = it.next().getValue();
                if (pass == 1 || !locked(c, now)) {
                    it.remove();
                    excess--;
                }
            }
        }
    }
}
