package io.pushfabric.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster of local {@code redis-server} processes ({@link RedisServerProcess}), built without
 * {@code redis-cli}: each node starts with {@code --cluster-enabled yes}, then the nodes are introduced
 * ({@code CLUSTER MEET}), the 16384 slots are split evenly over the masters ({@code CLUSTER ADDSLOTS}) and
 * each replica follows its master ({@code CLUSTER REPLICATE}). {@link #start} returns when every node says
 * {@code cluster_state:ok} and every replica is in sync.
 *
 * <p>{@code cluster-node-timeout} is short (given to {@link #start}) so a killed master is replaced within
 * seconds: about the node timeout plus the replica's election delay (0.5 to 1 s).
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisCluster.class);
    private static final int SLOTS = 16_384;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServerProcess> nodes;
    private final StopOnExit stopOnExit;

    private EmbeddedRedisCluster(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
        this.stopOnExit = new StopOnExit("redis-cluster", this);
    }

    /**
     * @param masters  number of masters, each owning an even share of the slots
     * @param replicas replicas per master
     */
    public static EmbeddedRedisCluster start(int masters, int replicas, Duration nodeTimeout) {
        if (masters < 1 || replicas < 0) {
            throw new IllegalArgumentException("need at least 1 master and 0 replicas, got " + masters + " and "
                    + replicas);
        }
        long started = System.nanoTime();
        List<RedisServerProcess> nodes = new ArrayList<>();
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(nodes);
        try {
            for (int i = 0; i < masters * (1 + replicas); i++) {
                nodes.add(RedisServerProcess.start(FreePorts.pick(), List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()))));
            }
            cluster.form(masters, replicas);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("Redis Cluster of {} masters and {} replicas each formed in {} ms: {}", masters, replicas,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), cluster.addresses());
        return cluster;
    }

    private void form(int masters, int replicas) {
        RedisServerProcess first = nodes.get(0);
        for (RedisServerProcess node : nodes.subList(1, nodes.size())) {
            first.command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port()));
        }
        for (int m = 0; m < masters; m++) {
            int from = m * SLOTS / masters;
            int to = (m + 1) * SLOTS / masters;
            List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = from; slot < to; slot++) {
                args.add(Integer.toString(slot));
            }
            nodes.get(m).command(args.toArray(String[]::new));
        }
        Poll.until("every node to know all " + nodes.size(), () -> nodes.stream().allMatch(n ->
                n.command("CLUSTER", "NODES").lines().filter(l -> !l.contains("handshake")).count() == nodes.size()), FORM_TIMEOUT);
        for (int r = masters; r < nodes.size(); r++) {
            RedisServerProcess master = nodes.get((r - masters) % masters);
            String masterId = master.command("CLUSTER", "MYID");
            RedisServerProcess replica = nodes.get(r);
            // The replica must have heard of the master before it may follow it.
            Poll.until("node " + replica.port() + " to know master " + master.port(),
                    () -> replica.command("CLUSTER", "NODES").contains(masterId), FORM_TIMEOUT);
            replica.command("CLUSTER", "REPLICATE", masterId);
        }
        Poll.until("the cluster to be ok with every replica in sync", () -> isHealthy()
                && nodes.subList(0, masters).stream().allMatch(m -> m.inSyncReplicas() == replicas), FORM_TIMEOUT);
    }

    /** {@code redis://127.0.0.1:<port>} of every node started, the killed ones included. */
    public List<String> addresses() {
        return nodes.stream().map(RedisServerProcess::uri).toList();
    }

    /** The live master that serves {@code key}'s slot, as the live nodes see it. */
    public Optional<RedisServerProcess> masterOf(String key) {
        RedisServerProcess any = anyLive();
        int slot = Integer.parseInt(any.command("CLUSTER", "KEYSLOT", key));
        for (String line : any.command("CLUSTER", "NODES").lines().toList()) {
            String[] fields = line.split(" ");
            if (!fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                if (range[0].startsWith("[")) {
                    continue; // a slot being migrated
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return nodes.stream().filter(n -> n.port() == port(fields) && n.isAlive()).findFirst();
                }
            }
        }
        return Optional.empty();
    }

    /** A live replica that follows {@code master} and is not marked failed. */
    public Optional<RedisServerProcess> replicaOf(RedisServerProcess master) {
        String masterId = master.command("CLUSTER", "MYID");
        return master.command("CLUSTER", "NODES").lines().map(l -> l.split(" "))
                .filter(f -> f[2].contains("slave") && !f[2].contains("fail") && f[3].equals(masterId))
                .flatMap(f -> nodes.stream().filter(n -> n.port() == port(f) && n.isAlive()))
                .findFirst();
    }

    /**
     * Every live node says {@code cluster_state:ok} and every slot is served by a live master: after a
     * master is killed this turns true again once a replica has taken over.
     */
    public boolean isHealthy() {
        for (RedisServerProcess node : nodes) {
            if (node.isAlive() && !node.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
                return false;
            }
        }
        // Every master that owns slots is a live process: a killed one has been replaced.
        return anyLive().command("CLUSTER", "NODES").lines().map(l -> l.split(" "))
                .filter(f -> f[2].contains("master") && f.length > 8)
                .allMatch(f -> !f[2].contains("fail") && nodes.stream().anyMatch(n -> n.port() == port(f) && n.isAlive()));
    }

    /** Blocks until {@link #isHealthy()}, at most {@code atMost}. */
    public void awaitHealthy(Duration atMost) {
        Poll.until("the cluster to be healthy", this::isHealthy, atMost);
    }

    /** The port of a {@code CLUSTER NODES} line's {@code ip:port@cport}. */
    private static int port(String[] fields) {
        String address = fields[1];
        return Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
    }

    private RedisServerProcess anyLive() {
        return nodes.stream().filter(RedisServerProcess::isAlive).findFirst()
                .orElseThrow(() -> new IllegalStateException("every node of the cluster is dead"));
    }

    @Override
    public void close() {
        stopOnExit.cancel();
        nodes.forEach(RedisServerProcess::close);
    }
}
