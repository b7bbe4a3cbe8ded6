package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RMap;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node leases in Redis: one string per node with a PX TTL (the lease, holding its {@link LeaseToken}) plus one hash of every known node,
 * laid out by {@link RedisKeys}. The TTL is enforced by Redis, so all processes agree on who is alive
 * whatever their clocks say. Redis failures surface as Redisson {@code RedisException}s here and as
 * {@link TransientRegistryException} through {@link RedisRegistries}.
 */
public final class RedisNodeRegistry implements NodeRegistry {
    private static final Logger log = LoggerFactory.getLogger(RedisNodeRegistry.class);

    /** KEYS[1] lease; ARGV[1] held token; ARGV[2] TTL millis. Renews the lease only if it holds that token. */
    static final String RENEW_LEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """;

    /** KEYS[1] known-nodes hash; ARGV[1] node id; ARGV[2] the record the caller saw. Removes it if unchanged. */
    static final String FORGET_IF_UNCHANGED = """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              return 1
            end
            return 0
            """;

    private final RedissonClient redisson;
    private final RedisKeys keys;

    public RedisNodeRegistry(RedissonClient redisson, RedisKeys keys) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public boolean renew(NodeInfo node, LeaseToken held, Duration ttl) {
        long ttlMillis = ttlMillis(ttl);
        Objects.requireNonNull(held, "held");
        String lease = keys.lease(node.id());
        // Two keys in two slots: pipelined in one round trip, each command atomic on its own.
        RBatch batch = redisson.createBatch();
        RFuture<Boolean> renewed = batch.getScript(StringCodec.INSTANCE).evalAsync(lease, RScript.Mode.READ_WRITE,
                RENEW_LEASE, RScript.ReturnType.BOOLEAN, List.of(lease), held.value(), Long.toString(ttlMillis));
        batch.<String, String>getMap(keys.nodes(), StringCodec.INSTANCE).fastPutAsync(node.id().value(),
                NodeInfoJson.write(node));
        batch.execute();
        return Boolean.TRUE.equals(renewed.toCompletableFuture().join());
    }

    @Override
    public void acquire(NodeInfo node, LeaseToken fresh, Duration ttl) {
        long ttlMillis = ttlMillis(ttl);
        Objects.requireNonNull(fresh, "fresh");
        RBatch batch = redisson.createBatch();
        batch.getBucket(keys.lease(node.id()), StringCodec.INSTANCE).setAsync(fresh.value(), ttlMillis,
                TimeUnit.MILLISECONDS);
        batch.<String, String>getMap(keys.nodes(), StringCodec.INSTANCE).fastPutAsync(node.id().value(),
                NodeInfoJson.write(node));
        batch.execute();
    }

    @Override
    public Set<NodeId> liveNodes() {
        List<NodeId> known = new ArrayList<>();
        for (String id : known().readAllKeySet()) {
            try {
                known.add(NodeId.of(id));
            } catch (IllegalArgumentException e) {
                log.warn("Skipping unreadable field of {}: {}", keys.nodes(), e.getMessage());
            }
        }
        if (known.isEmpty()) {
            return Set.of();
        }
        // Lease keys of different nodes sit in different slots: a pipelined batch, not one script.
        RBatch batch = redisson.createBatch();
        Map<NodeId, RFuture<Boolean>> leases = new LinkedHashMap<>();
        for (NodeId node : known) {
            leases.put(node, batch.getBucket(keys.lease(node), StringCodec.INSTANCE).isExistsAsync());
        }
        batch.execute();
        Set<NodeId> live = new HashSet<>();
        leases.forEach((node, exists) -> {
            if (Boolean.TRUE.equals(exists.toCompletableFuture().join())) {
                live.add(node);
            }
        });
        return Set.copyOf(live);
    }

    @Override
    public List<NodeInfo> knownNodes() {
        Collection<String> values = known().readAllValues();
        List<NodeInfo> nodes = new ArrayList<>(values.size());
        for (String json : values) {
            try {
                nodes.add(NodeInfoJson.read(json));
            } catch (IllegalArgumentException e) {
                log.warn("Skipping unreadable entry of {}: {}", keys.nodes(), e.getMessage());
            }
        }
        return nodes;
    }

    @Override
    public void leave(NodeId node) {
        redisson.getBucket(keys.lease(node), StringCodec.INSTANCE).delete();
    }

    @Override
    public boolean evict(NodeId node) {
        return redisson.getBucket(keys.lease(node), StringCodec.INSTANCE).delete();
    }

    /**
     * The lease and the known-nodes hash sit in different slots, so this is two steps: the lease must be absent,
     * then the record is removed only if it is still {@code seen}. A heartbeat writes the lease before the
     * record, so one that lands between the steps either changes the record (nothing is forgotten) or finds the
     * lease absent and reports it lapsed (the node fences itself and rejoins).
     */
    @Override
    public boolean forgetIfDead(NodeInfo seen) {
        if (redisson.getBucket(keys.lease(seen.id()), StringCodec.INSTANCE).isExists()) {
            return false;
        }
        Boolean removed = redisson.getScript(StringCodec.INSTANCE).eval(keys.nodes(), RScript.Mode.READ_WRITE,
                FORGET_IF_UNCHANGED, RScript.ReturnType.BOOLEAN, List.of(keys.nodes()),
                seen.id().value(), NodeInfoJson.write(seen));
        return Boolean.TRUE.equals(removed);
    }

    private RMap<String, String> known() {
        return redisson.getMap(keys.nodes(), StringCodec.INSTANCE);
    }

    private static long ttlMillis(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
        }
        return ttl.toMillis();
    }

    @Override
    public String toString() {
        return "RedisNodeRegistry[" + keys + "]";
    }
}
