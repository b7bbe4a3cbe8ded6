package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RMap;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes in Redis: one hash per user ({@code session -> node}) plus one index set per node, laid out by
 * {@link RedisKeys}. Every call either succeeds or throws a Redisson {@code RedisException}; callers treat
 * that as transient and retry.
 *
 * <p>Consistency between a route and its index entry: {@link #register} adds the index entry
 * <em>before</em> the route, so a crash in between leaves at worst an index entry without a route, which
 * {@link #removeAllOn} skips. The index may also keep members whose session moved to another node; they
 * are filtered out by {@link #routesOn} and dropped by the owning node's {@link #unregister} or
 * {@link #removeAllOn}.
 */
public final class RedisRouteRegistry implements RouteRegistry {
    private static final Logger log = LoggerFactory.getLogger(RedisRouteRegistry.class);

    /** KEYS[1] route hash; ARGV[1] session id; ARGV[2] node id. Deletes the field only if it is still ours. */
    static final String COMPARE_AND_DELETE = """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              return 1
            end
            return 0
            """;

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final ReplicaSync replicaSync;

    /** Registrations that wait for no replica. */
    public RedisRouteRegistry(RedissonClient redisson, RedisKeys keys) {
        this(redisson, keys, ReplicaSync.NONE);
    }

    public RedisRouteRegistry(RedissonClient redisson, RedisKeys keys, ReplicaSync replicaSync) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.replicaSync = Objects.requireNonNull(replicaSync, "replicaSync");
    }

    /**
     * One pipelined round trip (index first, then route): a reconnect storm opens thousands of these. With a
     * {@link ReplicaSync}, the route's own batch ends with {@code WAIT}, so the route is on that many replicas
     * of its master before this returns, or this throws {@link TransientRegistryException}. (The index may
     * sit on another master in Cluster; losing an index entry only leaves a route for the janitor to miss.)
     */
    @Override
    public void register(SessionRoute route) {
        RBatch batch = redisson.createBatch();
        batch.<String>getSet(keys.nodeRoutes(route.node()), StringCodec.INSTANCE).addAsync(RedisKeys.member(route));
        if (replicaSync.replicas() == 0) {
            batch.<String, String>getMap(keys.route(route.user()), StringCodec.INSTANCE)
                    .fastPutAsync(route.sessionId(), route.node().value());
            batch.execute();
            return;
        }
        batch.execute();
        RBatch synced = redisson.createBatch(BatchOptions.defaults().sync(replicaSync.replicas(), replicaSync.timeout()));
        synced.<String, String>getMap(keys.route(route.user()), StringCodec.INSTANCE)
                .fastPutAsync(route.sessionId(), route.node().value());
        int replicas = synced.execute().getSyncedSlaves();
        if (replicas < replicaSync.replicas()) {
            // The caller will not hold this session; leave no route behind for it (best effort).
            unregister(route);
            throw new TransientRegistryException("route of session " + route.sessionId() + " reached " + replicas
                    + " of " + replicaSync.replicas() + " replicas within " + replicaSync.timeout().toMillis()
                    + " ms (PUSH_REDIS_SYNC_REPLICAS); not registered", null);
        }
    }

    @Override
    public boolean unregister(SessionRoute route) {
        String routeKey = keys.route(route.user());
        Boolean removed = redisson.getScript(StringCodec.INSTANCE).eval(routeKey, RScript.Mode.READ_WRITE,
                COMPARE_AND_DELETE, RScript.ReturnType.BOOLEAN, List.of(routeKey),
                route.sessionId(), route.node().value());
        // Whether or not the route was still ours, this node no longer holds that session.
        redisson.<String>getSet(keys.nodeRoutes(route.node()), StringCodec.INSTANCE).remove(RedisKeys.member(route));
        return Boolean.TRUE.equals(removed);
    }

    @Override
    public Map<UserId, Set<NodeId>> nodesOf(Collection<UserId> users) {
        Map<UserId, Set<NodeId>> result = new LinkedHashMap<>();
        if (users.isEmpty()) {
            return result;
        }
        RBatch batch = redisson.createBatch();
        Map<UserId, RFuture<Collection<String>>> pending = new LinkedHashMap<>();
        for (UserId user : users) {
            pending.computeIfAbsent(user, u -> batch.<String, String>getMap(keys.route(u), StringCodec.INSTANCE)
                    .readAllValuesAsync());
        }
        batch.execute();
        pending.forEach((user, values) -> {
            Set<NodeId> nodes = new HashSet<>();
            for (String node : values.toCompletableFuture().join()) {
                nodes.add(NodeId.of(node));
            }
            result.put(user, Set.copyOf(nodes));
        });
        return result;
    }

    @Override
    public List<SessionRoute> sessionsOf(UserId user) {
        List<SessionRoute> sessions = new ArrayList<>();
        routes(user).readAllMap().forEach((session, node) ->
                sessions.add(new SessionRoute(user, session, NodeId.of(node))));
        return sessions;
    }

    @Override
    public List<SessionRoute> routesOn(NodeId node) {
        List<SessionRoute> indexed = indexed(node);
        if (indexed.isEmpty()) {
            return indexed;
        }
        RBatch batch = redisson.createBatch();
        List<RFuture<String>> holders = new ArrayList<>(indexed.size());
        for (SessionRoute route : indexed) {
            holders.add(batch.<String, String>getMap(keys.route(route.user()), StringCodec.INSTANCE)
                    .getAsync(route.sessionId()));
        }
        batch.execute();
        List<SessionRoute> held = new ArrayList<>();
        for (int i = 0; i < indexed.size(); i++) {
            if (node.value().equals(holders.get(i).toCompletableFuture().join())) {
                held.add(indexed.get(i));
            }
        }
        return held;
    }

    @Override
    public int removeAllOn(NodeId node) {
        List<SessionRoute> indexed = indexed(node);
        if (indexed.isEmpty()) {
            return 0;
        }
        RBatch batch = redisson.createBatch();
        List<RFuture<Boolean>> removals = new ArrayList<>(indexed.size());
        for (SessionRoute route : indexed) {
            String routeKey = keys.route(route.user());
            removals.add(batch.getScript(StringCodec.INSTANCE).evalAsync(routeKey, RScript.Mode.READ_WRITE,
                    COMPARE_AND_DELETE, RScript.ReturnType.BOOLEAN, List.of(routeKey),
                    route.sessionId(), node.value()));
        }
        batch.execute();
        int removed = 0;
        for (RFuture<Boolean> removal : removals) {
            if (Boolean.TRUE.equals(removal.toCompletableFuture().join())) {
                removed++;
            }
        }
        // Remove only the members handled here, not the whole set: a route registered meanwhile stays indexed.
        List<String> handled = new ArrayList<>(indexed.size());
        for (SessionRoute route : indexed) {
            handled.add(RedisKeys.member(route));
        }
        redisson.<String>getSet(keys.nodeRoutes(node), StringCodec.INSTANCE).removeAll(handled);
        return removed;
    }

    private RMap<String, String> routes(UserId user) {
        return redisson.getMap(keys.route(user), StringCodec.INSTANCE);
    }

    private List<SessionRoute> indexed(NodeId node) {
        Set<String> members = redisson.<String>getSet(keys.nodeRoutes(node), StringCodec.INSTANCE).readAll();
        List<SessionRoute> routes = new ArrayList<>(members.size());
        for (String member : members) {
            try {
                routes.add(RedisKeys.fromMember(member, node));
            } catch (IllegalArgumentException e) {
                log.warn("Skipping unreadable member of {}: {}", keys.nodeRoutes(node), e.getMessage());
            }
        }
        return routes;
    }

    @Override
    public String toString() {
        return "RedisRouteRegistry[" + keys + "]";
    }
}
