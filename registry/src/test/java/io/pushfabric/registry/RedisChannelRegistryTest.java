package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

class RedisChannelRegistryTest extends ChannelRegistryContract {
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();
    private RedisKeys keys;

    @Override
    protected ChannelRegistry newRegistry() {
        keys = redis.freshKeys("channels");
        return new RedisChannelRegistry(redis.client(), keys);
    }

    @Test
    void registrationThatNoReplicaConfirmsIsRefusedAndLeavesNoRoute() {
        // The shared redis-server has no replica: WAIT 1 always answers 0.
        ChannelRegistry synced = new RedisChannelRegistry(redis.client(), keys, new ReplicaSync(1, Duration.ofMillis(50)));

        assertThatThrownBy(() -> synced.register(new ChannelRoute(LOBBY, NODE_A, "t1")))
                .isInstanceOf(TransientRegistryException.class)
                .hasMessageContaining("reached 0 of 1 replicas")
                .hasMessageContaining("PUSH_REDIS_SYNC_REPLICAS");
        assertThat(registry.nodesOf(List.of(LOBBY))).containsEntry(LOBBY, Set.of());
        assertThat(registry.routesOn(NODE_A)).isEmpty();
        assertThat(redis.client().getSet(keys.nodeChannels(NODE_A), StringCodec.INSTANCE).isExists()).isFalse();
    }

    @Test
    void channelRoutesAreReadableTextUnderSlotSafeKeys() {
        registry.register(new ChannelRoute(LOBBY, NODE_A, "t1"));

        assertThat(redis.client().<String, String>getMap(keys.prefix() + "channel:{#chat:lobby}", StringCodec.INSTANCE)
                .readAllMap()).isEqualTo(Map.of("node-a", "t1"));
        assertThat(redis.client().<String>getSet(keys.prefix() + "node-channels:{node-a}", StringCodec.INSTANCE).readAll())
                .containsExactly("t1|chat:lobby");
    }
}
