package io.pushfabric.registry;

import java.time.Duration;
import org.redisson.config.DelayStrategy;
import org.redisson.config.EqualJitterDelay;

/**
 * How long a failed Redis command waits before its next attempt: the base delay exactly before the first retry,
 * then equal jitter up to the cap. Redisson sizes its timer wheel's tick from the first delay ({@code calcDelay(0)}):
 * a random one (equal jitter from the start) gives a tick of 10 to 49 ms, so the {@code redisson-timer} thread of
 * every service woke up to 100 times a second even with nothing to do; a base of a multiple of 100 ms gives a tick
 * of 100 ms.
 */
final class RetryDelay implements DelayStrategy {
    private final Duration base;
    private final EqualJitterDelay later;

    RetryDelay(Duration base, Duration cap) {
        this.base = base;
        this.later = new EqualJitterDelay(base, cap);
    }

    @Override
    public Duration calcDelay(int attempt) {
        return attempt == 0 ? base : later.calcDelay(attempt);
    }
}
