package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.testkit.TestInfra;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

class RedisChannelMembersTest extends ChannelMembersContract {
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
    protected ChannelMembers newMembers() {
        keys = new RedisKeys(TestInfra.uniqueName("members") + ":");
        return new RedisChannelMembers(redisson, keys);
    }

    @Test
    void membersAreIntegerFieldsInTheChannelsSlot() {
        members.join(LOBBY, NODE_A, ALICE);
        members.join(LOBBY, NODE_A, ALICE);

        assertThat(redisson.<String, String>getMap(keys.prefix() + "channel-members:{#chat:lobby}", StringCodec.INSTANCE)
                .readAllMap()).isEqualTo(Map.of("node-a|alice", "2"));
        assertThat(hashTag(keys.channelMembers(LOBBY))).as("same Cluster slot as the channel's routes")
                .isEqualTo(hashTag(keys.channel(LOBBY))).isEqualTo("#chat:lobby");
    }

    private static String hashTag(String key) {
        return key.substring(key.indexOf('{') + 1, key.indexOf('}'));
    }
}
