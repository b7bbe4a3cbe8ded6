package io.pushfabric.dispatcher.loop;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A gate that opens at most once per interval of the injected clock, for log lines about a condition
 * that can repeat per record: the first occurrence passes, the rest of the interval is counted and
 * reported with the next one that passes. Thread-safe.
 */
final class OncePerInterval {
    private final Clock clock;
    private final long intervalMillis;
    private long nextOpenMillis = Long.MIN_VALUE;
    private long suppressed;

    OncePerInterval(Clock clock, Duration interval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms, was " + interval);
        }
        this.intervalMillis = interval.toMillis();
    }

    /**
     * @return -1 when the gate is shut (this occurrence is counted), otherwise the number of occurrences
     *         suppressed since it last opened
     */
    synchronized long tryPass() {
        long now = clock.millis();
        if (now < nextOpenMillis) {
            suppressed++;
            return -1;
        }
        nextOpenMillis = now + intervalMillis;
        long before = suppressed;
        suppressed = 0;
        return before;
    }
}
