package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

class RedisNodeRegistryTest extends NodeRegistryContract {
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();
    private RedisKeys keys;

    @Override
    protected NodeRegistry newRegistry() {
        keys = redis.freshKeys("nodes");
        return new RedisNodeRegistry(redis.client(), keys);
    }

    @Override
    protected Duration shortTtl() {
        return Duration.ofMillis(300);
    }

    @Override
    protected void lapse(Duration ttl, BooleanSupplier condition) {
        await().atMost(ttl.plusSeconds(1)).pollInterval(Duration.ofMillis(25)).until(condition::getAsBoolean);
    }

    @Test
    void leaseHoldsItsTokenWithTheHeartbeatTtlAndTheNodeIsKnownAsReadableJson() {
        LeaseToken token = new LeaseToken("token-1");
        registry.acquire(info(NODE_A, 5, 1_234), token, Duration.ofSeconds(20));

        String lease = redis.client().<String>getBucket(keys.prefix() + "lease:{node-a}", StringCodec.INSTANCE).get();
        assertThat(lease).isEqualTo("token-1");
        assertThat(redis.client().getBucket(keys.lease(NODE_A), StringCodec.INSTANCE).remainTimeToLive())
                .isBetween(1L, 20_000L);
        assertThat(redis.client().<String, String>getMap(keys.prefix() + "nodes", StringCodec.INSTANCE).get("node-a"))
                .isEqualTo("{\"id\":\"node-a\",\"address\":\"node-a.internal:8080\","
                        + "\"startedAt\":1700000000000,\"sessions\":5,\"heartbeatAt\":1234}");
    }

    @Test
    void unreadableKnownNodeIsSkipped() {
        beat(info(NODE_A, 5, 1), LONG_TTL);
        redis.client().<String, String>getMap(keys.nodes(), StringCodec.INSTANCE).put("node-x", "not json");

        assertThat(registry.knownNodes()).containsExactly(info(NODE_A, 5, 1));
    }
}
