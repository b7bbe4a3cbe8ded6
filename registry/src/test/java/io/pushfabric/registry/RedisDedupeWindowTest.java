package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.registry.DedupeWindow.Claim;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RBucket;
import org.redisson.client.codec.StringCodec;

class RedisDedupeWindowTest extends DedupeWindowContract {
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();
    private RedisKeys keys;

    @Override
    protected DedupeWindow newWindow() {
        keys = redis.freshKeys("dedupe");
        return new RedisDedupeWindow(redis.client(), keys);
    }

    @Override
    protected Duration shortWindow() {
        return Duration.ofMillis(300);
    }

    @Override
    protected void lapse(Duration ttl, BooleanSupplier condition) {
        await().atMost(ttl.plusSeconds(1)).pollInterval(Duration.ofMillis(25)).until(condition::getAsBoolean);
    }

    @Test
    void ownerIsReadableTextThatExpiresWithTheWindow() {
        window.claim(List.of(new Claim(ALICE, "m1", new MessagePosition(3, 120))),
                Duration.ofSeconds(20));

        RBucket<String> owner = redis.client().getBucket(keys.prefix() + "dedupe:5:{alice:m1}", StringCodec.INSTANCE);
        assertThat(owner.get()).isEqualTo("3-120");
        long ttl = owner.remainTimeToLive();
        assertThat(ttl).isBetween(1L, 20_000L);

        window.claim(List.of(new Claim(ALICE, "m1", new MessagePosition(3, 120))),
                Duration.ofMinutes(10));
        assertThat(owner.remainTimeToLive()).as("a repeat claim does not extend the window").isLessThanOrEqualTo(ttl);
    }
}
