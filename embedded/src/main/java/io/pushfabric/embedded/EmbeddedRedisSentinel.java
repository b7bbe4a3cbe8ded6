package io.pushfabric.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Sentinel-managed Redis of local processes ({@link RedisServerProcess}): one master, replicas started with
 * {@code --replicaof}, and sentinels ({@code redis-server <conf> --sentinel}) that monitor the master as
 * {@value #MASTER_NAME} with a quorum of a majority. {@link #start} returns once every replica is in sync
 * and every sentinel knows the replicas and the other sentinels, so a failover can happen at once.
 */
public final class EmbeddedRedisSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "mymaster";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisSentinel.class);
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServerProcess> servers = new ArrayList<>();
    private final List<RedisServerProcess> sentinels = new ArrayList<>();
    private final StopOnExit stopOnExit = new StopOnExit("redis-sentinel", this);

    private EmbeddedRedisSentinel() {
    }

    /**
     * @param downAfter how long a master must be silent before a sentinel calls it down
     *                  ({@code down-after-milliseconds}); a failover follows within about a second
     */
    public static EmbeddedRedisSentinel start(int replicas, int sentinelCount, Duration downAfter) {
        long started = System.nanoTime();
        EmbeddedRedisSentinel group = new EmbeddedRedisSentinel();
        try {
            RedisServerProcess master = RedisServerProcess.start(FreePorts.pick(), List.of());
            group.servers.add(master);
            for (int i = 0; i < replicas; i++) {
                group.servers.add(RedisServerProcess.start(FreePorts.pick(),
                        List.of("--replicaof", "127.0.0.1", Integer.toString(master.port()))));
            }
            Poll.until("every replica to be in sync", () -> master.inSyncReplicas() == replicas, FORM_TIMEOUT);
            int quorum = sentinelCount / 2 + 1;
            for (int i = 0; i < sentinelCount; i++) {
                group.sentinels.add(RedisServerProcess.startSentinel(FreePorts.pick(), List.of(
                        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " " + quorum,
                        "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfter.toMillis(),
                        "sentinel failover-timeout " + MASTER_NAME + " 10000",
                        "sentinel parallel-syncs " + MASTER_NAME + " 1")));
            }
            Poll.until("every sentinel to know the replicas and the other sentinels", () -> group.sentinels.stream()
                    .allMatch(s -> field(s, "num-slaves") == replicas
                            && field(s, "num-other-sentinels") == sentinelCount - 1), FORM_TIMEOUT);
        } catch (RuntimeException e) {
            group.close();
            throw e;
        }
        LOG.info("Redis master {} with {} replicas and {} sentinels {} ready in {} ms", group.master().orElseThrow()
                        .uri(), replicas, sentinelCount, group.sentinelAddresses(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return group;
    }

    /** {@code redis://127.0.0.1:<port>} of every sentinel. */
    public List<String> sentinelAddresses() {
        return sentinels.stream().map(RedisServerProcess::uri).toList();
    }

    /** The live server the first live sentinel names as master. */
    public Optional<RedisServerProcess> master() {
        for (RedisServerProcess sentinel : sentinels) {
            if (!sentinel.isAlive()) {
                continue;
            }
            String[] address = sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).split("\n");
            int port = Integer.parseInt(address[1]);
            return servers.stream().filter(s -> s.port() == port && s.isAlive()).findFirst();
        }
        return Optional.empty();
    }

    /**
     * Blocks until every live sentinel names a live master that says it is one ({@code role:master}), at
     * most {@code atMost}: after the master is killed, this is when the failover is done.
     */
    public RedisServerProcess awaitMaster(Duration atMost) {
        Poll.until("a live master named by every sentinel", () -> {
            Optional<RedisServerProcess> master = master();
            return master.isPresent() && master.get().command("INFO", "replication").contains("role:master")
                    && sentinels.stream().filter(RedisServerProcess::isAlive).allMatch(s -> s.command("SENTINEL",
                    "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).endsWith("\n" + master.get().port()));
        }, atMost);
        return master().orElseThrow();
    }

    private static int field(RedisServerProcess sentinel, String name) {
        List<String> fields = sentinel.command("SENTINEL", "MASTER", MASTER_NAME).lines().toList();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (fields.get(i).equals(name)) {
                return Integer.parseInt(fields.get(i + 1));
            }
        }
        throw new IllegalStateException("sentinel on port " + sentinel.port() + " reports no " + name);
    }

    @Override
    public void close() {
        stopOnExit.cancel();
        sentinels.forEach(RedisServerProcess::close);
        servers.forEach(RedisServerProcess::close);
    }
}
