package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RMapAsync;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes kept as Redis hash fields that name their owner, each with a member in its node's index set: the write,
 * removal and node-wide clean-up that user routes ({@link RedisRouteRegistry}) and channel routes
 * ({@link RedisChannelRegistry}) share. A {@link Layout} says where a route lives.
 *
 * <p>The index member is written <em>before</em> the field, so a crash in between leaves at worst a member
 * without a field, which {@link #removeAllOn} skips. A field is deleted only while it still holds the route's
 * value (compare-and-delete, one script on one key). With a {@link ReplicaSync}, {@link #register} returns only
 * once that many replicas of the field's master hold it.
 */
final class RedisIndexedRoutes<R> {
    private static final Logger log = LoggerFactory.getLogger(RedisIndexedRoutes.class);

    /** KEYS[1] hash; ARGV[1] field; ARGV[2] value. Deletes the field only if it still holds that value. */
    private static final String COMPARE_AND_DELETE = """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              return 1
            end
            return 0
            """;

    /** A hash field that names its owner: it is the route's while it holds {@code value}. */
    record Field(String key, String field, String value) {
    }

    /**
     * Where a route lives.
     *
     * @param field      the route's hash field
     * @param node       the node that holds the route
     * @param indexKey   the index set of a node
     * @param member     the route's member of that set
     * @param fromMember reads a member back; throws {@link IllegalArgumentException} for one it did not write
     */
    record Layout<R>(Function<R, Field> field, Function<R, NodeId> node, Function<NodeId, String> indexKey,
                     Function<R, String> member, BiFunction<String, NodeId, R> fromMember) {
    }

    private final RedissonClient redisson;
    private final ReplicaSync replicaSync;
    private final Layout<R> layout;

    RedisIndexedRoutes(RedissonClient redisson, ReplicaSync replicaSync, Layout<R> layout) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.replicaSync = Objects.requireNonNull(replicaSync, "replicaSync");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /**
     * One pipelined round trip (index first, then the field). With a {@link ReplicaSync}, the field's own batch
     * ends with {@code WAIT}; fewer replicas than asked removes the route again (best effort) and throws
     * {@link TransientRegistryException}. (The index may sit on another master in Cluster; losing an index
     * entry only leaves a route for the janitor to miss.)
     */
    void register(R route) {
        registerAll(List.of(route));
    }

    /** {@link #register} for a group of routes, in one pipelined round trip for all of them (two with a {@link ReplicaSync}). */
    void registerAll(List<R> routes) {
        if (routes.isEmpty()) {
            return;
        }
        RBatch batch = redisson.createBatch();
        for (R route : routes) {
            batch.<String>getSet(indexKey(route), StringCodec.INSTANCE).addAsync(layout.member().apply(route));
            if (replicaSync.replicas() == 0) {
                put(batch, route);
            }
        }
        batch.execute();
        if (replicaSync.replicas() == 0) {
            return;
        }
        RBatch synced = redisson.createBatch(BatchOptions.defaults().sync(replicaSync.replicas(), replicaSync.timeout()));
        for (R route : routes) {
            put(synced, route);
        }
        int replicas = synced.execute().getSyncedSlaves();
        if (replicas < replicaSync.replicas()) {
            // The callers will not hold these routes; leave none behind for them.
            unregisterAll(routes);
            throw new TransientRegistryException((routes.size() == 1 ? routes.get(0) : routes.size() + " routes")
                    + " reached " + replicas + " of " + replicaSync.replicas() + " replicas within "
                    + replicaSync.timeout().toMillis() + " ms (PUSH_REDIS_SYNC_REPLICAS); not registered", null);
        }
    }

    private String indexKey(R route) {
        return layout.indexKey().apply(layout.node().apply(route));
    }

    private void put(RBatch batch, R route) {
        Field f = layout.field().apply(route);
        batch.<String, String>getMap(f.key(), StringCodec.INSTANCE).fastPutAsync(f.field(), f.value());
    }

    /** Deletes the field if it still holds the route's value, and the route's index member either way. */
    boolean unregister(R route) {
        return unregisterAll(List.of(route)) == 1;
    }

    /**
     * {@link #unregister} for a group of routes, in two pipelined round trips: every field compare-and-deleted, then
     * the routes' index members removed (only those, so a route registered meanwhile stays indexed). The members go
     * only once the fields are gone, also in Cluster, where the two may sit on different masters: a crash in between
     * leaves at worst a member without a field, as {@link #register} does, never a field the janitor cannot find.
     *
     * @return how many fields were removed
     */
    int unregisterAll(List<R> routes) {
        if (routes.isEmpty()) {
            return 0;
        }
        RBatch fields = redisson.createBatch();
        List<RFuture<Boolean>> removals = new ArrayList<>(routes.size());
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (R route : routes) {
            Field f = layout.field().apply(route);
            removals.add(fields.getScript(StringCodec.INSTANCE).evalAsync(f.key(), RScript.Mode.READ_WRITE,
                    COMPARE_AND_DELETE, RScript.ReturnType.BOOLEAN, List.of(f.key()), f.field(), f.value()));
            members.computeIfAbsent(indexKey(route), k -> new ArrayList<>()).add(layout.member().apply(route));
        }
        fields.execute();
        int removed = 0;
        for (RFuture<Boolean> removal : removals) {
            if (Boolean.TRUE.equals(removal.toCompletableFuture().join())) {
                removed++;
            }
        }
        // Whether or not each field was still its route's, this node no longer holds those routes.
        RBatch index = redisson.createBatch();
        members.forEach((key, names) -> index.<String>getSet(key, StringCodec.INSTANCE).removeAllAsync(names));
        index.execute();
        return removed;
    }

    /**
     * The nodes named in the hash of each owner (a user, a channel), in one pipelined read: every owner is a key
     * of the result, with an empty set when its hash is empty.
     *
     * @param nodes what of an owner's hash names its nodes (its values, or its fields)
     */
    <K> Map<K, Set<NodeId>> nodesOf(Collection<K> owners, Function<K, String> key,
                                    Function<RMapAsync<String, String>, RFuture<? extends Collection<String>>> nodes) {
        Map<K, Set<NodeId>> result = new LinkedHashMap<>();
        if (owners.isEmpty()) {
            return result;
        }
        RBatch batch = redisson.createBatch();
        Map<K, RFuture<? extends Collection<String>>> pending = new LinkedHashMap<>();
        for (K owner : owners) {
            pending.computeIfAbsent(owner, o -> nodes.apply(batch.getMap(key.apply(o), StringCodec.INSTANCE)));
        }
        batch.execute();
        pending.forEach((owner, names) -> {
            Set<NodeId> found = new HashSet<>();
            for (String node : names.toCompletableFuture().join()) {
                found.add(NodeId.of(node));
            }
            result.put(owner, Set.copyOf(found));
        });
        return result;
    }

    /** The node's indexed routes whose field still holds their value, in one pipelined read. */
    List<R> routesOn(NodeId node) {
        List<R> indexed = indexed(node);
        if (indexed.isEmpty()) {
            return indexed;
        }
        RBatch batch = redisson.createBatch();
        List<RFuture<String>> values = new ArrayList<>(indexed.size());
        for (R route : indexed) {
            Field f = layout.field().apply(route);
            values.add(batch.<String, String>getMap(f.key(), StringCodec.INSTANCE).getAsync(f.field()));
        }
        batch.execute();
        List<R> held = new ArrayList<>();
        for (int i = 0; i < indexed.size(); i++) {
            if (layout.field().apply(indexed.get(i)).value().equals(values.get(i).toCompletableFuture().join())) {
                held.add(indexed.get(i));
            }
        }
        return held;
    }

    /** Compare-and-deletes every indexed route of the node, pipelined. @return how many fields were removed */
    int removeAllOn(NodeId node) {
        return unregisterAll(indexed(node));
    }

    private List<R> indexed(NodeId node) {
        String indexKey = layout.indexKey().apply(node);
        Set<String> members = redisson.<String>getSet(indexKey, StringCodec.INSTANCE).readAll();
        List<R> routes = new ArrayList<>(members.size());
        for (String member : members) {
            try {
                routes.add(layout.fromMember().apply(member, node));
            } catch (IllegalArgumentException e) {
                log.warn("Skipping unreadable member of {}: {}", indexKey, e.getMessage());
            }
        }
        return routes;
    }
}
