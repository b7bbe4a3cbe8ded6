package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.testkit.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

class RedisChannelRegistryTest extends ChannelRegistryContract {
    private static RedissonClient redisson;
    private RedisKeys keys;

    @BeforeAll
    static void connect() {
        redisson = RedissonClients.connect(TestInfra.redisUri(), 2);
    }

    @AfterAll
    static void disconnect() {
        redisson.shutdown();
    }

    @Override
    protected ChannelRegistry newRegistry() {
        keys = new RedisKeys(TestInfra.uniqueName("channels") + ":");
        return new RedisChannelRegistry(redisson, keys);
    }

    @Test
    void registrationThatNoReplicaConfirmsIsRefusedAndLeavesNoRoute() {
        // The shared redis-server has no replica: WAIT 1 always answers 0.
        ChannelRegistry synced = new RedisChannelRegistry(redisson, keys, new ReplicaSync(1, Duration.ofMillis(50)));

        assertThatThrownBy(() -> synced.register(new ChannelRoute(LOBBY, NODE_A, "t1")))
                .isInstanceOf(TransientRegistryException.class)
                .hasMessageContaining("reached 0 of 1 replicas")
                .hasMessageContaining("PUSH_REDIS_SYNC_REPLICAS");
        assertThat(registry.nodesOf(List.of(LOBBY))).containsEntry(LOBBY, Set.of());
        assertThat(registry.routesOn(NODE_A)).isEmpty();
        assertThat(redisson.getSet(keys.nodeChannels(NODE_A), StringCodec.INSTANCE).isExists()).isFalse();
    }

    @Test
    void channelRoutesAreReadableTextUnderSlotSafeKeys() {
        registry.register(new ChannelRoute(LOBBY, NODE_A, "t1"));

        assertThat(redisson.<String, String>getMap(keys.prefix() + "channel:{#chat:lobby}", StringCodec.INSTANCE)
                .readAllMap()).isEqualTo(Map.of("node-a", "t1"));
        assertThat(redisson.<String>getSet(keys.prefix() + "node-channels:{node-a}", StringCodec.INSTANCE).readAll())
                .containsExactly("t1|chat:lobby");
    }
}
