package io.pushfabric.registry;

import org.redisson.api.RedissonClient;

/**
 * The Redis-backed registries a service uses, over one Redisson client that this object owns. Their Redis
 * failures surface as {@link TransientRegistryException}.
 */
public final class RedisRegistries implements AutoCloseable {
    private final RedissonClient redisson;
    private final RouteRegistry routes;
    private final NodeRegistry nodes;
    private final DedupeWindow dedupe;
    private final ClusterLock lock;
    private final PresenceRegistry presence;
    private final ChannelRegistry channels;

    RedisRegistries(RedissonClient redisson, RedisKeys keys) {
        this(redisson, keys, ReplicaSync.NONE);
    }

    RedisRegistries(RedissonClient redisson, RedisKeys keys, ReplicaSync replicaSync) {
        this.redisson = redisson;
        this.routes = RedisFailures.translating(RouteRegistry.class, new RedisRouteRegistry(redisson, keys, replicaSync));
        this.nodes = RedisFailures.translating(NodeRegistry.class, new RedisNodeRegistry(redisson, keys));
        this.dedupe = RedisFailures.translating(DedupeWindow.class, new RedisDedupeWindow(redisson, keys));
        this.lock = RedisFailures.translating(ClusterLock.class, new RedisClusterLock(redisson, keys));
        this.presence = RedisFailures.translating(PresenceRegistry.class, new RedisPresenceRegistry(redisson, keys));
        this.channels = RedisFailures.translating(ChannelRegistry.class, new RedisChannelRegistry(redisson, keys, replicaSync));
    }

    public static RedisRegistries connect(RedisSettings settings) {
        return new RedisRegistries(RedissonClients.connect(settings.address()), new RedisKeys(settings.keyPrefix()),
                settings.replicaSync());
    }

    public RouteRegistry routes() {
        return routes;
    }

    public NodeRegistry nodes() {
        return nodes;
    }

    public DedupeWindow dedupe() {
        return dedupe;
    }

    public ChannelRegistry channels() {
        return channels;
    }

    public ClusterLock lock() {
        return lock;
    }

    public PresenceRegistry presence() {
        return presence;
    }

    @Override
    public void close() {
        redisson.shutdown();
    }
}
