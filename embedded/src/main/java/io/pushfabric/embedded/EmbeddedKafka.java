package io.pushfabric.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A real Apache Kafka cluster in KRaft mode, running inside this JVM on 127.0.0.1.
 *
 * <p>Two layouts:
 * <ul>
 *   <li>{@link #singleNode()}: one node that is both broker and controller. Replication factors are 1.</li>
 *   <li>{@link #cluster(int)}: one dedicated controller plus {@code n} broker-only nodes. Use it for
 *       failure tests: a broker can be stopped and started without touching the controller quorum.
 *       {@code default.replication.factor = min(3, n)}, {@code min.insync.replicas = min(2, n)}.</li>
 * </ul>
 *
 * <p>Defaults for every layout: {@code auto.create.topics.enable=false} (the code that owns a topic
 * creates it, the same as in production), {@code num.partitions=1},
 * {@code offsets.topic.num.partitions=5}, {@code group.initial.rebalance.delay.ms=0},
 * {@code log.cleaner.dedupe.buffer.size=2 MiB} (the 128 MiB default is per node).
 *
 * <p>The factories return once every broker is registered, unfenced and visible to an
 * {@link Admin} client. {@link #close()} stops brokers, then the controller, and deletes the data
 * directory unless it was given with {@link Builder#dataDir(Path)}.
 *
 * <p>Any property can be overridden with {@link Builder#brokerProperty(String, String)}; overrides
 * are applied last to every node, and only {@code node.id}, {@code log.dirs} and
 * {@code metadata.log.dir} win over them. In the cluster layout
 * {@code broker.session.timeout.ms=3000} (heartbeat 500 ms) so a restarted broker can re-register
 * within about 3 s instead of about 10 s.
 *
 * <p>Kafka's own fatal-fault handler ({@code ProcessTerminatingFaultHandler}) halts the JVM, as it
 * would halt a real broker process; this class does not change that.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final KRaftLayout layout;
    private final List<KafkaNode> brokers;
    private final Path baseDir;
    private final boolean deleteOnClose;
    private final Duration timeout;
    private final String threadPrefix;
    private boolean closed;

    private EmbeddedKafka(KRaftLayout layout, Path baseDir, boolean deleteOnClose, Duration timeout) {
        this.layout = layout;
        this.brokers = layout.brokers();
        this.baseDir = baseDir;
        this.deleteOnClose = deleteOnClose;
        this.timeout = timeout;
        this.threadPrefix = "embedded-kafka-" + INSTANCES.incrementAndGet() + "-";
    }

    /** One combined broker+controller node on a free port, in a temporary directory. */
    public static EmbeddedKafka singleNode() {
        return builder().start();
    }

    /**
     * One combined broker+controller node on a fixed port with a data directory that survives
     * {@link #close()}. An already formatted directory is reused with its data.
     */
    public static EmbeddedKafka singleNode(int port, Path dataDir) {
        return builder().port(port).dataDir(dataDir).start();
    }

    /** One dedicated controller and {@code brokers} broker-only nodes on free ports. */
    public static EmbeddedKafka cluster(int brokers) {
        return builder().cluster(brokers).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Comma-separated {@code host:port} of every broker, running or not. */
    public String bootstrapServers() {
        return brokers.stream().map(layout::address).collect(Collectors.joining(","));
    }

    public int brokerCount() {
        return brokers.size();
    }

    /**
     * Stops broker {@code index} (zero-based, equal to its {@code node.id}) with a controlled
     * shutdown, and returns once the remaining brokers no longer list it.
     */
    public synchronized void stopBroker(int index) {
        KafkaNode broker = broker(index);
        if (!broker.isRunning()) {
            throw new IllegalStateException("Broker " + index + " is not running");
        }
        long started = System.nanoTime();
        broker.stop();
        if (brokers.stream().anyMatch(KafkaNode::isRunning)) {
            awaitRunningBrokersVisible();
        }
        LOG.info("Stopped Kafka broker {} in {} ms", index, elapsedMillis(started));
    }

    /**
     * Starts broker {@code index} again with its original port and data directory, and returns once
     * every running broker is visible to clients.
     */
    public synchronized void startBroker(int index) {
        KafkaNode broker = broker(index);
        if (broker.isRunning()) {
            throw new IllegalStateException("Broker " + index + " is already running");
        }
        long started = System.nanoTime();
        broker.start();
        awaitRunningBrokersVisible();
        LOG.info("Started Kafka broker {} in {} ms", index, elapsedMillis(started));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        try {
            // Brokers before the controller: a broker's controlled shutdown needs the controller.
            onEachInParallel(brokers, EmbeddedKafka::stopQuietly);
        } catch (Exception e) {
            LOG.warn("Error stopping Kafka brokers", e);
            brokers.forEach(EmbeddedKafka::stopQuietly);
        }
        layout.controllers().forEach(EmbeddedKafka::stopQuietly);
        if (deleteOnClose) {
            try {
                Utils.delete(baseDir.toFile());
            } catch (IOException e) {
                LOG.warn("Could not delete Kafka data directory {}", baseDir, e);
            }
        }
        LOG.info("Stopped embedded Kafka {} in {} ms", bootstrapServers(), elapsedMillis(started));
    }

    private void startAll() {
        long started = System.nanoTime();
        String clusterId = Uuid.randomUuid().toString();
        try {
            List<KafkaNode> all = new ArrayList<>(layout.controllers());
            all.addAll(brokers);
            for (KafkaNode node : all) {
                node.formatIfNeeded(clusterId);
            }
            for (KafkaNode controller : layout.controllers()) {
                controller.start();
            }
            // Each broker blocks in startup until the controller unfences it, so start them side by side.
            onEachInParallel(brokers, KafkaNode::start);
            awaitRunningBrokersVisible();
        } catch (Exception | Error e) {
            close();
            throw new IllegalStateException("Embedded Kafka did not start in " + baseDir, e);
        }
        LOG.info("Started embedded Kafka {} ({} broker(s), {}) in {} ms, data in {}", bootstrapServers(),
                brokers.size(), layout.combined() ? "combined controller" : "dedicated controller",
                elapsedMillis(started), baseDir);
    }

    private void onEachInParallel(List<KafkaNode> nodes, Consumer<KafkaNode> action) throws Exception {
        if (nodes.size() == 1) {
            action.accept(nodes.get(0));
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(nodes.size(), runnable -> {
            Thread thread = new Thread(runnable, threadPrefix + "lifecycle-" + threads.incrementAndGet());
            thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Uncaught exception in {}", t.getName(), e));
            return thread;
        });
        try {
            CompletableFuture<?>[] futures = nodes.stream()
                    .map(node -> CompletableFuture.runAsync(() -> action.accept(node), executor))
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(futures).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            executor.shutdownNow();
        }
    }

    /** Polls {@code describeCluster} until exactly the running brokers are listed. */
    private void awaitRunningBrokersVisible() {
        List<KafkaNode> running = brokers.stream().filter(KafkaNode::isRunning).toList();
        Set<Integer> expected = running.stream().map(KafkaNode::nodeId).collect(Collectors.toSet());
        String bootstrap = running.stream().map(layout::address).collect(Collectors.joining(","));
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> seen = Set.of();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, threadPrefix + "readiness"))) {
            while (System.nanoTime() < deadline) {
                try {
                    seen = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                            .nodes().get(5, TimeUnit.SECONDS).stream()
                            .map(Node::id).collect(Collectors.toSet());
                    if (seen.equals(expected)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    LOG.debug("Kafka not ready yet: {}", e.toString());
                }
                TimeUnit.MILLISECONDS.sleep(100); // production-code poll interval, bounded by the deadline
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka brokers " + expected, e);
        }
        throw new IllegalStateException("Kafka brokers " + expected + " not all visible after " + timeout
                + "; last seen " + seen);
    }

    private KafkaNode broker(int index) {
        if (closed) {
            throw new IllegalStateException("Embedded Kafka is closed");
        }
        Objects.checkIndex(index, brokers.size());
        return brokers.get(index);
    }

    private static void stopQuietly(KafkaNode node) {
        try {
            node.stop();
        } catch (RuntimeException e) {
            LOG.warn("Error stopping {}", node, e);
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Options for an {@link EmbeddedKafka}; every option has a default. */
    public static final class Builder {
        private int brokers;
        private int port;
        private Path dataDir;
        private int partitions = 1;
        private Duration startTimeout = Duration.ofSeconds(60);
        private final Map<String, String> extraProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** Dedicated controller plus {@code brokers} broker-only nodes. Default: one combined node. */
        public Builder cluster(int brokers) {
            if (brokers < 1) {
                throw new IllegalArgumentException("brokers must be at least 1 but was " + brokers);
            }
            this.brokers = brokers;
            return this;
        }

        /** Client port of the single combined node. Default 0: a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /** Data directory, kept on close and reused when already formatted. Default: a temp dir, deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** {@code num.partitions} for topics created without a partition count. Default 1. */
        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1 but was " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** How long start and broker restarts may take. Default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive but was " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /** A server property applied to every node, overriding our defaults. */
        public Builder brokerProperty(String key, String value) {
            extraProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** Formats storage, starts every node and waits until all brokers are usable. */
        public EmbeddedKafka start() {
            if (brokers > 0 && port != 0) {
                throw new IllegalArgumentException("port(" + port + ") applies to the single-node layout only");
            }
            if (port != 0 && !FreePorts.isFree(port)) {
                throw new IllegalStateException("Kafka port " + port + " on " + KRaftLayout.LOOPBACK
                        + " is already in use");
            }
            Path base = dataDir != null ? dataDir : createTempDir();
            KRaftLayout layout = KRaftLayout.plan(brokers, port, partitions, base, extraProperties);
            EmbeddedKafka kafka = new EmbeddedKafka(layout, base, dataDir == null, startTimeout);
            kafka.startAll();
            return kafka;
        }

        private static Path createTempDir() {
            try {
                return Files.createTempDirectory("pushfabric-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a temporary Kafka data directory", e);
            }
        }
    }
}
