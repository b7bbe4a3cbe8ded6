package io.pushfabric.connector.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;

/**
 * One token bucket per key (a user, a source address), local to this node. A bucket holds {@code capacity}
 * tokens and refills {@code capacity} per {@code period}, smoothly. A bucket not touched for a whole
 * period is full again, so dropping it loses nothing: buckets expire after one idle period, and at most
 * {@code maxKeys} are kept (past that the least recently used go first, which can only be generous).
 */
public final class TokenBuckets {
    private final long capacity;
    private final Duration period;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    public TokenBuckets(long capacity, Duration period, long maxKeys, Clock clock) {
        if (capacity < 1 || period.isNegative() || period.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("capacity " + capacity + ", period " + period + ", maxKeys " + maxKeys);
        }
        this.capacity = capacity;
        this.period = period;
        this.time = clockMeter(clock);
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(period)
                .maximumSize(maxKeys)
                .ticker(() -> time.currentTimeNanos())
                .build();
    }

    /** A single bucket, e.g. for one connection's frames. */
    public static Bucket single(long capacity, Duration period, Clock clock) {
        return bucket(capacity, period, clockMeter(clock));
    }

    /**
     * Takes a token from {@code key}'s bucket.
     *
     * @return zero when taken; otherwise how long until the next token
     */
    public Duration take(String key) {
        ConsumptionProbe probe = buckets.get(key, k -> bucket(capacity, period, time)).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
    }

    private static Bucket bucket(long capacity, Duration period, TimeMeter time) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .withCustomTimePrecision(time)
                .build();
    }

    private static TimeMeter clockMeter(Clock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }
}
