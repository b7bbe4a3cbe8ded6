package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.redisson.api.RMapAsync;
import org.redisson.api.RedissonClient;

/**
 * Channel routes in Redis: one hash per channel ({@code node -> token}) plus one index set per node
 * ({@code "<token>|<channel>"}), laid out by {@link RedisKeys}. As for user routes ({@link RedisIndexedRoutes}),
 * the index entry is written before the route, a route is deleted only while it still carries its token (one
 * script, one key), and with a {@link ReplicaSync} a registration returns only once that many replicas hold it.
 */
public final class RedisChannelRegistry implements ChannelRegistry {
    private final RedisKeys keys;
    private final RedisIndexedRoutes<ChannelRoute> indexed;

    /** Registrations that wait for no replica. */
    public RedisChannelRegistry(RedissonClient redisson, RedisKeys keys) {
        this(redisson, keys, ReplicaSync.NONE);
    }

    public RedisChannelRegistry(RedissonClient redisson, RedisKeys keys, ReplicaSync replicaSync) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.indexed = new RedisIndexedRoutes<>(redisson, replicaSync, new RedisIndexedRoutes.Layout<ChannelRoute>(
                r -> new RedisIndexedRoutes.Field(keys.channel(r.channel()), r.node().value(), r.token()),
                ChannelRoute::node, keys::nodeChannels, RedisKeys::member, RedisKeys::channelFromMember));
    }

    /**
     * With a {@link ReplicaSync}, throws {@link TransientRegistryException} (and leaves no route behind) unless
     * that many replicas of the channel's master hold the route: one a failover lost would leave this node's
     * subscribers of the channel without deliveries.
     */
    @Override
    public void register(ChannelRoute route) {
        indexed.register(route);
    }

    @Override
    public boolean unregister(ChannelRoute route) {
        return indexed.unregister(route);
    }

    @Override
    public Map<ChannelName, Set<NodeId>> nodesOf(Collection<ChannelName> channels) {
        return indexed.nodesOf(channels, keys::channel, RMapAsync::readAllKeySetAsync);
    }

    @Override
    public List<ChannelRoute> routesOn(NodeId node) {
        return indexed.routesOn(node);
    }

    @Override
    public int removeAllOn(NodeId node) {
        return indexed.removeAllOn(node);
    }

    @Override
    public String toString() {
        return "RedisChannelRegistry[" + keys + "]";
    }
}
