package io.pushfabric.connector.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.registry.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
    private final MutableClock clock = new MutableClock();
    private final TokenBuckets buckets = new TokenBuckets(3, Duration.ofMinutes(1), 100, clock);

    @Test
    void aKeyGetsItsBurstThenWaitsForTheNextToken() {
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("alice")).isZero();
        }
        assertThat(buckets.take("alice")).isEqualTo(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(5));
        assertThat(buckets.take("alice")).isEqualTo(Duration.ofSeconds(15));
        clock.advance(Duration.ofSeconds(15));
        assertThat(buckets.take("alice")).isZero();
    }

    @Test
    void keysHaveBucketsOfTheirOwn() {
        for (int i = 0; i < 3; i++) {
            buckets.take("alice");
        }
        assertThat(buckets.take("alice")).isPositive();
        assertThat(buckets.take("bob")).isZero();
    }

    @Test
    void anIdleBucketIsFullAgain() {
        for (int i = 0; i < 3; i++) {
            buckets.take("alice");
        }
        clock.advance(Duration.ofMinutes(2));
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("alice")).isZero();
        }
    }
}
