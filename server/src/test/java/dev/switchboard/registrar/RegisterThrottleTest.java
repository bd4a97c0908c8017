package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory counters behind the REGISTER lockout. */
class RegisterThrottleTest {

    static RegistrarProperties.Throttle settings(int user, int ip, int maxTracked) {
        return new RegistrarProperties.Throttle(user, ip, Duration.ofMinutes(15), Duration.ofMinutes(5), maxTracked);
    }

    @Test
    void handsOnEachNewLockOnceAndAdoptsLocksSetElsewhere() {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RegisterThrottle here = new RegisterThrottle(settings(2, 100, 1000), clock);
        here.fail("192.0.2.1", "t:1");
        assertThat(here.takeNewLocks()).isEmpty();
        assertThat(here.fail("192.0.2.1", "t:1")).isEqualTo(RegisterThrottle.Verdict.USER_LOCKED);
        var locks = here.takeNewLocks();
        assertThat(locks).containsExactly(
                new RegisterThrottle.Lock("user:t:1", clock.instant().plus(Duration.ofMinutes(5))));
        assertThat(here.takeNewLocks()).isEmpty();

        // Another node, or this one after a restart: refused until the same moment.
        RegisterThrottle there = new RegisterThrottle(settings(2, 100, 1000), clock);
        there.adopt(locks.get(0).key(), locks.get(0).until());
        there.adopt("ip:2001:db8::1", clock.instant().plusSeconds(60));
        there.adopt("ip:192.0.2.9", clock.instant().minusSeconds(1));
        assertThat(there.isLocked("192.0.2.7", "t:1")).isTrue();
        assertThat(there.isLocked("2001:db8::1", "t:2")).isTrue();
        assertThat(there.isLocked("192.0.2.9", "t:2")).isFalse();
        assertThat(there.takeNewLocks()).as("adopted locks are not stored again").isEmpty();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(there.isLocked("192.0.2.7", "t:1")).isFalse();
    }

    @Test
    void locksASourceAddressAcrossUsersAndUnlocksAfterTheLockTime() {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RegisterThrottle throttle = new RegisterThrottle(settings(100, 3, 1000), clock);
        assertThat(throttle.fail("192.0.2.1", "t:1")).isEqualTo(RegisterThrottle.Verdict.COUNTED);
        assertThat(throttle.fail("192.0.2.1", "t:2")).isEqualTo(RegisterThrottle.Verdict.COUNTED);
        assertThat(throttle.fail("192.0.2.1", "t:3")).isEqualTo(RegisterThrottle.Verdict.IP_LOCKED);
        assertThat(throttle.isLocked("192.0.2.1", "t:9")).isTrue();
        assertThat(throttle.isLocked("192.0.2.2", "t:1")).isFalse();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(throttle.isLocked("192.0.2.1", "t:9")).isFalse();
    }

    @Test
    void aRightPasswordForgetsTheUsersFailuresButNotALock() {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RegisterThrottle throttle = new RegisterThrottle(settings(3, 100, 1000), clock);
        // Two guesses from two addresses, the phone registers, two more guesses: no lock.
        throttle.fail("192.0.2.1", "t:7");
        throttle.fail("192.0.2.2", "t:7");
        throttle.succeeded("t:7");
        throttle.fail("192.0.2.3", "t:7");
        assertThat(throttle.fail("192.0.2.4", "t:7")).isEqualTo(RegisterThrottle.Verdict.COUNTED);
        assertThat(throttle.isLocked("192.0.2.9", "t:7")).isFalse();
        // A third one locks; a right password then does not lift the lock.
        assertThat(throttle.fail("192.0.2.5", "t:7")).isEqualTo(RegisterThrottle.Verdict.USER_LOCKED);
        throttle.succeeded("t:7");
        assertThat(throttle.isLocked("192.0.2.9", "t:7")).isTrue();
    }

    @Test
    void forgetsFailuresOutsideTheWindow() {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RegisterThrottle throttle = new RegisterThrottle(settings(2, 100, 1000), clock);
        throttle.fail("192.0.2.1", "t:1");
        clock.advance(Duration.ofMinutes(16));
        assertThat(throttle.fail("192.0.2.1", "t:1")).isEqualTo(RegisterThrottle.Verdict.COUNTED);
        assertThat(throttle.fail("192.0.2.1", "t:1")).isEqualTo(RegisterThrottle.Verdict.USER_LOCKED);
    }

    @Test
    void staysWithinItsBoundUnderAFloodFromManyAddresses() {
        RegisterThrottle throttle = new RegisterThrottle(settings(10, 10, 1000),
                new MovableClock(Instant.parse("2026-01-01T00:00:00Z")));
        for (int i = 0; i < 100_000; i++) {
            throttle.fail("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), "t:" + i);
        }
        assertThat(throttle.tracked()).isLessThanOrEqualTo(2 * 1000);
    }
}
