package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel routes in Redis: one hash per channel ({@code node -> token}) plus one index set per node
 * ({@code "<token>|<channel>"}), laid out by {@link RedisKeys}. As for user routes, the index entry is written
 * before the route, and a route is deleted only while it still carries its token (one script, one key).
 */
public final class RedisChannelRegistry implements ChannelRegistry {
    private static final Logger log = LoggerFactory.getLogger(RedisChannelRegistry.class);

    private final RedissonClient redisson;
    private final RedisKeys keys;

    public RedisChannelRegistry(RedissonClient redisson, RedisKeys keys) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public void register(ChannelRoute route) {
        RBatch batch = redisson.createBatch();
        batch.<String>getSet(keys.nodeChannels(route.node()), StringCodec.INSTANCE).addAsync(RedisKeys.member(route));
        batch.<String, String>getMap(keys.channel(route.channel()), StringCodec.INSTANCE)
                .fastPutAsync(route.node().value(), route.token());
        batch.execute();
    }

    @Override
    public boolean unregister(ChannelRoute route) {
        String key = keys.channel(route.channel());
        Boolean removed = redisson.getScript(StringCodec.INSTANCE).eval(key, RScript.Mode.READ_WRITE,
                RedisRouteRegistry.COMPARE_AND_DELETE, RScript.ReturnType.BOOLEAN, List.of(key),
                route.node().value(), route.token());
        redisson.<String>getSet(keys.nodeChannels(route.node()), StringCodec.INSTANCE).remove(RedisKeys.member(route));
        return Boolean.TRUE.equals(removed);
    }

    @Override
    public Map<ChannelName, Set<NodeId>> nodesOf(Collection<ChannelName> channels) {
        Map<ChannelName, Set<NodeId>> result = new LinkedHashMap<>();
        if (channels.isEmpty()) {
            return result;
        }
        RBatch batch = redisson.createBatch();
        Map<ChannelName, RFuture<Set<String>>> pending = new LinkedHashMap<>();
        for (ChannelName channel : channels) {
            pending.computeIfAbsent(channel, c -> batch.<String, String>getMap(keys.channel(c), StringCodec.INSTANCE)
                    .readAllKeySetAsync());
        }
        batch.execute();
        pending.forEach((channel, fields) -> {
            Set<NodeId> nodes = new HashSet<>();
            for (String node : fields.toCompletableFuture().join()) {
                nodes.add(NodeId.of(node));
            }
            result.put(channel, Set.copyOf(nodes));
        });
        return result;
    }

    @Override
    public List<ChannelRoute> routesOn(NodeId node) {
        List<ChannelRoute> indexed = indexed(node);
        if (indexed.isEmpty()) {
            return indexed;
        }
        RBatch batch = redisson.createBatch();
        List<RFuture<String>> tokens = new ArrayList<>(indexed.size());
        for (ChannelRoute route : indexed) {
            tokens.add(batch.<String, String>getMap(keys.channel(route.channel()), StringCodec.INSTANCE)
                    .getAsync(node.value()));
        }
        batch.execute();
        List<ChannelRoute> held = new ArrayList<>();
        for (int i = 0; i < indexed.size(); i++) {
            if (indexed.get(i).token().equals(tokens.get(i).toCompletableFuture().join())) {
                held.add(indexed.get(i));
            }
        }
        return held;
    }

    @Override
    public int removeAllOn(NodeId node) {
        List<ChannelRoute> indexed = indexed(node);
        if (indexed.isEmpty()) {
            return 0;
        }
        RBatch batch = redisson.createBatch();
        List<RFuture<Boolean>> removals = new ArrayList<>(indexed.size());
        for (ChannelRoute route : indexed) {
            String key = keys.channel(route.channel());
            removals.add(batch.getScript(StringCodec.INSTANCE).evalAsync(key, RScript.Mode.READ_WRITE,
                    RedisRouteRegistry.COMPARE_AND_DELETE, RScript.ReturnType.BOOLEAN, List.of(key),
                    node.value(), route.token()));
        }
        batch.execute();
        int removed = 0;
        for (RFuture<Boolean> removal : removals) {
            if (Boolean.TRUE.equals(removal.toCompletableFuture().join())) {
                removed++;
            }
        }
        List<String> handled = new ArrayList<>(indexed.size());
        for (ChannelRoute route : indexed) {
            handled.add(RedisKeys.member(route));
        }
        redisson.<String>getSet(keys.nodeChannels(node), StringCodec.INSTANCE).removeAll(handled);
        return removed;
    }

    private List<ChannelRoute> indexed(NodeId node) {
        Set<String> members = redisson.<String>getSet(keys.nodeChannels(node), StringCodec.INSTANCE).readAll();
        List<ChannelRoute> routes = new ArrayList<>(members.size());
        for (String member : members) {
            try {
                routes.add(RedisKeys.channelFromMember(member, node));
            } catch (IllegalArgumentException e) {
                log.warn("Skipping unreadable member of {}: {}", keys.nodeChannels(node), e.getMessage());
            }
        }
        return routes;
    }

    @Override
    public String toString() {
        return "RedisChannelRegistry[" + keys + "]";
    }
}
