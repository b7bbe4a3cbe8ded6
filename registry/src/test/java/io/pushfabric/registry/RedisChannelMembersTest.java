package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

class RedisChannelMembersTest extends ChannelMembersContract {
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();
    private RedisKeys keys;

    @Override
    protected ChannelMembers newMembers() {
        keys = redis.freshKeys("members");
        return new RedisChannelMembers(redis.client(), keys);
    }

    @Test
    void membersAreIntegerFieldsInTheChannelsSlot() {
        members.join(LOBBY, NODE_A, ALICE);
        members.join(LOBBY, NODE_A, ALICE);

        assertThat(redis.client().<String, String>getMap(keys.prefix() + "channel-members:{#chat:lobby}", StringCodec.INSTANCE)
                .readAllMap()).isEqualTo(Map.of("node-a|alice", "2"));
        assertThat(hashTag(keys.channelMembers(LOBBY))).as("same Cluster slot as the channel's routes")
                .isEqualTo(hashTag(keys.channel(LOBBY))).isEqualTo("#chat:lobby");
    }

    private static String hashTag(String key) {
        return key.substring(key.indexOf('{') + 1, key.indexOf('}'));
    }
}
