package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.redisson.api.RBatch;
import org.redisson.api.RMap;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Channel members in Redis: one hash per channel, {@code channel-members:{#<channel>}}, field
 * {@code "<node>|<user>"} → sessions (laid out by {@link RedisKeys}; same hash tag as the channel's routes, so
 * same slot). A join is one script ({@code HINCRBY}), a leave one script (decrement, delete at zero), each on one key.
 * Reads scan the hash ({@code HSCAN}) and stop past the limit, so a large channel costs a capped read.
 */
public final class RedisChannelMembers implements ChannelMembers {
    /** {@code HINCRBY} by one, as a script so the count stays an integer field. KEYS[1] members hash, ARGV[1] field. */
    private static final String JOIN = "return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)";
    /** Decrements a member's sessions and deletes the field at zero. KEYS[1] members hash, ARGV[1] field. */
    private static final String LEAVE = """
            local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
            if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return n""";
    /** Deletes every field matching ARGV[1] ({@code "<node>|*"}). KEYS[1] members hash. */
    private static final String REMOVE_NODE = """
            local cursor = '0'
            local removed = 0
            repeat
              local page = redis.call('HSCAN', KEYS[1], cursor, 'MATCH', ARGV[1], 'COUNT', 500)
              cursor = page[1]
              for i = 1, #page[2], 2 do removed = removed + redis.call('HDEL', KEYS[1], page[2][i]) end
            until cursor == '0'
            return removed""";
    /** Fields read per {@code HSCAN} round trip. */
    private static final int SCAN_COUNT = 256;

    private final RedissonClient redisson;
    private final RedisKeys keys;

    public RedisChannelMembers(RedissonClient redisson, RedisKeys keys) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public void join(ChannelName channel, NodeId node, UserId user) {
        String key = keys.channelMembers(channel);
        redisson.getScript(StringCodec.INSTANCE).eval(key, RScript.Mode.READ_WRITE, JOIN,
                RScript.ReturnType.LONG, List.of(key), field(node, user));
    }

    @Override
    public void leave(ChannelName channel, NodeId node, UserId user) {
        String key = keys.channelMembers(channel);
        redisson.getScript(StringCodec.INSTANCE).eval(key, RScript.Mode.READ_WRITE, LEAVE,
                RScript.ReturnType.LONG, List.of(key), field(node, user));
    }

    @Override
    public ChannelMembership membersOf(ChannelName channel, Set<NodeId> live, int limit) {
        RMap<String, String> members = redisson.getMap(keys.channelMembers(channel), StringCodec.INSTANCE);
        Set<String> liveNodes = new HashSet<>();
        live.forEach(n -> liveNodes.add(n.value()));
        Map<UserId, Integer> sessions = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>(); // HSCAN may return a field twice
        for (Map.Entry<String, String> entry : members.entrySet(SCAN_COUNT)) {
            String field = entry.getKey();
            int at = field.indexOf(RedisKeys.MEMBER_SEPARATOR);
            if (at <= 0 || !liveNodes.contains(field.substring(0, at)) || !seen.add(field)) {
                continue;
            }
            UserId user;
            try {
                user = UserId.of(field.substring(at + 1));
            } catch (IllegalArgumentException e) {
                continue; // not written by join(); nothing to count
            }
            if (!sessions.containsKey(user) && sessions.size() >= limit) {
                return new ChannelMembership(channel, sessions, true);
            }
            sessions.merge(user, Integer.parseInt(entry.getValue()), Integer::sum);
        }
        return new ChannelMembership(channel, sessions, false);
    }

    @Override
    public void removeAllOn(NodeId node, Collection<ChannelName> channels) {
        if (channels.isEmpty()) {
            return;
        }
        RBatch batch = redisson.createBatch();
        for (ChannelName channel : channels) {
            String key = keys.channelMembers(channel);
            batch.getScript(StringCodec.INSTANCE).evalAsync(key, RScript.Mode.READ_WRITE, REMOVE_NODE,
                    RScript.ReturnType.LONG, List.of(key), node.value() + RedisKeys.MEMBER_SEPARATOR + "*");
        }
        batch.execute();
    }

    private static String field(NodeId node, UserId user) {
        return node.value() + RedisKeys.MEMBER_SEPARATOR + user.value();
    }

    @Override
    public String toString() {
        return "RedisChannelMembers[" + keys + "]";
    }
}
