package io.pushfabric.dispatcher.api;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One Bucket4j token bucket per API key, local to this dispatcher: {@code burst} tokens, refilled smoothly at
 * {@code perSecond}. A published message costs one token, a presence query one. With N dispatchers behind a
 * load balancer a key gets up to N times the rate: size it per instance.
 */
final class KeyRateLimits {
    private final Map<String, Bucket> buckets = new HashMap<>();

    KeyRateLimits(ApiKeys keys, int perSecond, int burst, Clock clock) {
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        for (ApiKey key : keys.keys()) {
            buckets.put(key.name(), Bucket.builder()
                    .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                    .withCustomTimePrecision(time)
                    .build());
        }
    }

    /** @return zero when {@code tokens} were taken; otherwise how long until they would be there */
    Duration take(ApiKey key, int tokens) {
        ConsumptionProbe probe = buckets.get(key.name()).tryConsumeAndReturnRemaining(tokens);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
    }
}
