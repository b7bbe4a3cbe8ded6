package io.pushfabric.loadtest.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, as a well-written app reconnects: the n-th attempt in a row waits a
 * uniformly random time in {@code [0, min(cap, base * 2^n))}, so a crowd that drops at once comes back spread
 * out. {@code base} zero means reconnect at once.
 */
public record ReconnectPolicy(Duration base, Duration cap) {
    public ReconnectPolicy {
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff base " + base + " must be >= 0 and <= cap " + cap);
        }
    }

    public long delayMillis(int failuresInARow) {
        long window = base.toMillis() << Math.min(20, Math.max(0, failuresInARow));
        long bound = Math.min(cap.toMillis(), window);
        return bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound);
    }
}
