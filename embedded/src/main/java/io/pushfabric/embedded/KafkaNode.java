package io.pushfabric.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One KRaft process role set (broker, controller or both) running in this JVM as a
 * {@link KafkaRaftServer}. A stopped node can be started again: it gets a fresh server object over
 * the same configuration, so it comes back with the same node id, port and data directory.
 */
final class KafkaNode {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaNode.class);
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final int nodeId;
    private final String roles;
    private final Path dir;
    private final Map<String, String> properties;
    private KafkaRaftServer server;

    KafkaNode(int nodeId, String roles, Path dir, Map<String, String> properties) {
        this.nodeId = nodeId;
        this.roles = roles;
        this.dir = dir;
        this.properties = Map.copyOf(properties);
    }

    int nodeId() {
        return nodeId;
    }

    synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Writes {@code meta.properties} and the bootstrap metadata snapshot, as
     * {@code kafka-storage.sh format} does. A directory that is already formatted is left as it
     * is, so a fixed data directory keeps its cluster id and its data across restarts.
     */
    void formatIfNeeded(String clusterId) throws Exception {
        if (Files.exists(dir.resolve("meta.properties"))) {
            LOG.debug("Kafka node {} storage {} is already formatted", nodeId, dir);
            return;
        }
        Files.createDirectories(dir);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
        }
        LOG.debug("Formatted Kafka node {}: {}", nodeId, output.toString(StandardCharsets.UTF_8).trim());
    }

    /** Starts the server; returns once it has started (a broker: registered and unfenced). */
    synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("Kafka node " + nodeId + " is already running");
        }
        KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
        try {
            candidate.startup();
        } catch (RuntimeException | Error e) {
            try {
                candidate.shutdown();
                candidate.awaitShutdown();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        server = candidate;
    }

    /** Shuts the server down (a broker does a controlled shutdown) and waits until it has stopped. */
    synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        stopping.shutdown();
        stopping.awaitShutdown();
    }

    @Override
    public String toString() {
        return "KafkaNode[id=" + nodeId + ", roles=" + roles + ", dir=" + dir + "]";
    }
}
