package dev.switchboard.config;

import java.time.Duration;

/**
 * Checks of configuration values as they are bound, so a value that makes no sense stops the
 * start with the property's name instead of a server that half works (a probe's retry of 0 s
 * busy-looped a core; a negative token lifetime made every token dead on arrival).
 */
public final class SettingRules {

    private SettingRules() {
    }

    public static Duration positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration, not " + value);
        }
        return value;
    }

    /** A duration where 0 switches the feature off. */
    public static Duration zeroOrPositive(String property, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(property + " must be 0 (off) or a positive duration, not " + value);
        }
        return value;
    }

    public static long atLeast(String property, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(property + " must be at least " + minimum + ", not " + value);
        }
        return value;
    }
}
