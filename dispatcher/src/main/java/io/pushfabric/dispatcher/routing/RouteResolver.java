package io.pushfabric.dispatcher.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.ChannelRegistry;
import io.pushfabric.registry.NodeRegistry;
import io.pushfabric.registry.RouteRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Resolves users to the live nodes holding their sessions, with a Caffeine near-cache in front of the
 * route registry.
 *
 * <p>The cache is safe because it is fenced in-band: a connector writes a session's route to Redis and
 * only then appends a {@code session-opened} marker to the user's partition of {@code push-requests};
 * the dispatcher calls {@link #invalidateUser} when it reads the marker, before it resolves any later
 * record of that partition. So every message appended after the marker is resolved against a view that
 * includes the new route. The cache is dropped whole whenever the partition assignment changes, because
 * markers read by another instance never reached this one. Entries also expire after
 * {@code entryTtl}, which only bounds how long a closed session is still counted as a target.
 *
 * <p>The live nodes are cached for {@code liveNodesTtl}, but a registry read that finds a user (or channel)
 * without any route reads them again. A route vanishes together with its node's lease when Redis loses its data
 * (restarted empty, {@code FLUSHALL}); a message skipped for want of that route must not be followed by a
 * broadcast sent to the node on live nodes read before, or the session there would get the broadcast and its
 * cursor would pass the skipped message. Read after the route, the lease is gone too, so the node gets nothing
 * more until it has noticed the lapse and closed its sessions. A read that finds every route skips nothing and
 * keeps the cache.
 *
 * <p>Channels are resolved the same way, from the channel registry, with their own cache fenced by
 * {@code subscription-opened} markers on the channel's partition ({@link #invalidateChannel}).
 *
 * <p>Not thread-safe: one resolver per consumer loop.
 */
public final class RouteResolver {
    private final RouteRegistry routes;
    private final ChannelRegistry channels;
    private final NodeRegistry nodes;
    private final Cache<UserId, Set<NodeId>> userNodes;
    private final Cache<ChannelName, Set<NodeId>> channelNodes;
    private final Clock clock;
    private final long liveNodesTtlMillis;
    private Set<NodeId> liveNodes = Set.of();
    private long liveNodesLoadedAt = Long.MIN_VALUE;

    public RouteResolver(RouteRegistry routes, ChannelRegistry channels, NodeRegistry nodes, CacheSettings settings,
                         Clock clock) {
        this.routes = routes;
        this.channels = channels;
        this.nodes = nodes;
        this.clock = clock;
        this.liveNodesTtlMillis = settings.liveNodesTtl().toMillis();
        this.userNodes = settings.maxUsers() == 0 ? null : Caffeine.newBuilder()
                .maximumSize(settings.maxUsers())
                .expireAfterWrite(settings.entryTtl())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
        this.channelNodes = settings.maxUsers() == 0 ? null : Caffeine.newBuilder()
                .maximumSize(settings.maxUsers())
                .expireAfterWrite(settings.entryTtl())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /**
     * @param maxUsers     how many users' routes (and, separately, channels' routes) to cache; 0 turns the cache off (every lookup goes to Redis)
     * @param entryTtl     how long a cached route lives without a marker
     * @param liveNodesTtl how long the set of live nodes is reused before it is read again
     */
    public record CacheSettings(long maxUsers, Duration entryTtl, Duration liveNodesTtl) {
        public CacheSettings {
            if (maxUsers < 0) {
                throw new IllegalArgumentException("maxUsers must be >= 0, was " + maxUsers);
            }
        }
    }

    /** A {@code session-opened} marker for this user was read. */
    public void invalidateUser(UserId user) {
        if (userNodes != null) {
            userNodes.invalidate(user);
        }
    }

    /** A {@code subscription-opened} marker for this channel was read. */
    public void invalidateChannel(ChannelName channel) {
        if (channelNodes != null) {
            channelNodes.invalidate(channel);
        }
    }

    /** A {@code node-joined} marker was read, or a send to a node failed. */
    public void invalidateLiveNodes() {
        liveNodesLoadedAt = Long.MIN_VALUE;
    }

    /** The partition assignment changed. */
    public void invalidateAll() {
        if (userNodes != null) {
            userNodes.invalidateAll();
        }
        if (channelNodes != null) {
            channelNodes.invalidateAll();
        }
        invalidateLiveNodes();
    }

    public Set<NodeId> liveNodes() {
        long now = clock.millis();
        if (liveNodesLoadedAt == Long.MIN_VALUE || now - liveNodesLoadedAt >= liveNodesTtlMillis) {
            liveNodes = Set.copyOf(nodes.liveNodes());
            liveNodesLoadedAt = now;
        }
        return liveNodes;
    }

    /**
     * The live nodes of each user, with one Redis round trip for all users the cache does not hold. Every
     * requested user is a key of the result; users with no live session map to an empty set.
     */
    public Map<UserId, Set<NodeId>> resolve(Collection<UserId> users) {
        return alive(users, userNodes == null
                ? read(users, routes.nodesOf(users))
                : userNodes.getAll(users, missing -> read(missing, routes.nodesOf(Set.copyOf(missing)))));
    }

    /** The live nodes holding subscribers of each channel, like {@link #resolve} for users. */
    public Map<ChannelName, Set<NodeId>> resolveChannels(Collection<ChannelName> names) {
        return alive(names, channelNodes == null
                ? read(names, channels.nodesOf(names))
                : channelNodes.getAll(names, missing -> read(missing, channels.nodesOf(Set.copyOf(missing)))));
    }

    /** Routes just read from the registry: one missing may have gone with its lease, so live nodes are read again. */
    private <K> Map<K, Set<NodeId>> read(Iterable<? extends K> asked, Map<K, Set<NodeId>> read) {
        for (K target : asked) {
            Set<NodeId> nodes = read.get(target);
            if (nodes == null || nodes.isEmpty()) {
                invalidateLiveNodes();
                break;
            }
        }
        return read;
    }

    private <K> Map<K, Set<NodeId>> alive(Collection<K> targets, Map<K, Set<NodeId>> raw) {
        Set<NodeId> live = liveNodes();
        Map<K, Set<NodeId>> result = new HashMap<>(raw.size() * 2);
        for (K target : targets) {
            Set<NodeId> candidates = raw.getOrDefault(target, Set.of());
            Set<NodeId> alive = new HashSet<>(candidates.size() * 2);
            for (NodeId n : candidates) {
                if (live.contains(n)) {
                    alive.add(n);
                }
            }
            result.put(target, alive);
        }
        return result;
    }
}
