package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.testkit.TestInfra;
import java.util.Map;
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
    void channelRoutesAreReadableTextUnderSlotSafeKeys() {
        registry.register(new ChannelRoute(LOBBY, NODE_A, "t1"));

        assertThat(redisson.<String, String>getMap(keys.prefix() + "channel:{#chat:lobby}", StringCodec.INSTANCE)
                .readAllMap()).isEqualTo(Map.of("node-a", "t1"));
        assertThat(redisson.<String>getSet(keys.prefix() + "node-channels:{node-a}", StringCodec.INSTANCE).readAll())
                .containsExactly("t1|chat:lobby");
    }
}
