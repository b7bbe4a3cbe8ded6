package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.redisson.api.RMapAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Routes in Redis: one hash per user ({@code session -> node}) plus one index set per node, laid out by
 * {@link RedisKeys}. Every call either succeeds or throws a Redisson {@code RedisException}; callers treat
 * that as transient and retry.
 *
 * <p>Consistency between a route and its index entry ({@link RedisIndexedRoutes}): {@link #register} adds the
 * index entry <em>before</em> the route, so a crash in between leaves at worst an index entry without a route,
 * which {@link #removeAllOn} skips. The index may also keep members whose session moved to another node; they
 * are filtered out by {@link #routesOn} and dropped by the owning node's {@link #unregister} or
 * {@link #removeAllOn}.
 */
public final class RedisRouteRegistry implements RouteRegistry {
    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final RedisIndexedRoutes<SessionRoute> indexed;

    /** Registrations that wait for no replica. */
    public RedisRouteRegistry(RedissonClient redisson, RedisKeys keys) {
        this(redisson, keys, ReplicaSync.NONE);
    }

    public RedisRouteRegistry(RedissonClient redisson, RedisKeys keys, ReplicaSync replicaSync) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.indexed = new RedisIndexedRoutes<>(redisson, replicaSync, new RedisIndexedRoutes.Layout<SessionRoute>(
                r -> new RedisIndexedRoutes.Field(keys.route(r.user()), r.sessionId(), r.node().value()),
                SessionRoute::node, keys::nodeRoutes, RedisKeys::member, RedisKeys::fromMember));
    }

    /**
     * One pipelined round trip (index first, then route): a reconnect storm opens thousands of these. With a
     * {@link ReplicaSync}, the route is on that many replicas of its master before this returns, or this throws
     * {@link TransientRegistryException} and leaves no route behind.
     */
    @Override
    public void register(SessionRoute route) {
        indexed.register(route);
    }

    /** Every route's index entry and route in one pipelined round trip (two with a {@link ReplicaSync}). */
    @Override
    public void registerAll(List<SessionRoute> routes) {
        indexed.registerAll(routes);
    }

    @Override
    public boolean unregister(SessionRoute route) {
        return indexed.unregister(route);
    }

    /** Every route's compare-and-delete in one pipelined round trip, then their index members in another. */
    @Override
    public int unregisterAll(List<SessionRoute> routes) {
        return indexed.unregisterAll(routes);
    }

    @Override
    public Map<UserId, Set<NodeId>> nodesOf(Collection<UserId> users) {
        return indexed.nodesOf(users, keys::route, RMapAsync::readAllValuesAsync);
    }

    @Override
    public List<SessionRoute> sessionsOf(UserId user) {
        List<SessionRoute> sessions = new ArrayList<>();
        redisson.<String, String>getMap(keys.route(user), StringCodec.INSTANCE).readAllMap().forEach((session, node) ->
                sessions.add(new SessionRoute(user, session, NodeId.of(node))));
        return sessions;
    }

    @Override
    public List<SessionRoute> routesOn(NodeId node) {
        return indexed.routesOn(node);
    }

    @Override
    public int removeAllOn(NodeId node) {
        return indexed.removeAllOn(node);
    }

    @Override
    public String toString() {
        return "RedisRouteRegistry[" + keys + "]";
    }
}
