package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.fabric.ExistingFabricSpec;
import io.pushfabric.loadtest.fabric.FabricSpec;
import io.pushfabric.loadtest.fabric.OwnFabricSpec;
import io.pushfabric.loadtest.fabric.ServiceImage;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which fabric to load: a running one (--connect ...) or one the tool starts itself (the default). */
final class FabricOptions {
    @Option(names = "--connect", paramLabel = "ws://HOST:PORT/ws",
            description = "Drive a running fabric: WebSocket URL(s) clients connect to (repeat or comma-separate)."
                    + " Without it the tool starts its own fabric.", split = ",")
    List<URI> connect = new ArrayList<>();

    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092",
            description = "With --connect: Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "push-requests",
            description = "With --connect: the push-requests topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--secret", description = "With --connect: the connectors' PUSH_JWT_SECRET (for ./pushfabric dev:"
            + " pushfabric-DEV-ONLY-jwt-secret-public-in-source-code).")
    String secret;

    @Option(names = "--jwt-issuer", description = "With --connect: the iss claim the connectors require.")
    String issuer;

    @Option(names = "--jwt-audience", description = "With --connect: the aud claim the connectors require.")
    String audience;

    @Option(names = "--monitor", paramLabel = "NAME=PID", description = "With --connect: a process to sample (CPU,"
            + " RSS); names starting with 'connector' are the connectors, in URL order. Repeatable.")
    Map<String, Long> monitor = new LinkedHashMap<>();

    @Option(names = "--dispatcher-group", defaultValue = "pushfabric-dispatcher",
            description = "With --connect: the dispatchers' consumer group, for their backlog (default: ${DEFAULT-VALUE}).")
    String dispatcherGroup;

    @Option(names = "--node-topic-prefix", defaultValue = "push.node.",
            description = "With --connect: prefix of the node topics (default: ${DEFAULT-VALUE}).")
    String nodeTopicPrefix;

    @Option(names = "--connectors", defaultValue = "1", description = "Own fabric: connector processes (default: ${DEFAULT-VALUE}).")
    int connectors;

    @Option(names = "--kafka", defaultValue = "process", description = "Own fabric: Kafka as its own JVM ('process',"
            + " measured apart) or inside this one ('in-process'; faster to start). Default: ${DEFAULT-VALUE}.")
    String kafka;

    @Option(names = "--partitions", defaultValue = "12", description = "Own fabric: partitions of push-requests (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--launch", defaultValue = "AUTO", description = "Own fabric: service code from the shaded jars"
            + " (JARS), from this tool's classpath (CLASSPATH), or jars when found (AUTO, default).")
    ServiceImage.Launch launch;

    @Option(names = "--connector-jar", description = "Own fabric: the connector's shaded jar (default: searched in"
            + " connector/target and ~/.m2).")
    Path connectorJar;

    @Option(names = "--dispatcher-jar", description = "Own fabric: the dispatcher's shaded jar (default: searched).")
    Path dispatcherJar;

    @Option(names = "--connector-jvm", defaultValue = "-Xmx2g", description = "Own fabric: JVM options of each connector (default: ${DEFAULT-VALUE}).")
    String connectorJvm;

    @Option(names = "--dispatcher-jvm", defaultValue = "-Xmx1g", description = "Own fabric: JVM options of the dispatcher (default: ${DEFAULT-VALUE}).")
    String dispatcherJvm;

    @Option(names = "--kafka-jvm", defaultValue = "-Xmx1g", description = "Own fabric: JVM options of the Kafka broker process (default: ${DEFAULT-VALUE}).")
    String brokerJvm;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Own fabric: an extra variable for every"
            + " service, e.g. -e PUSH_SEND_QUEUE_LIMIT=5000. Repeatable.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--kafka-config", paramLabel = "KEY=VALUE", description = "Own fabric: a Kafka broker property on"
            + " top of the embedded broker's, e.g. --kafka-config num.io.threads=2 --kafka-config num.network.threads=1."
            + " Repeatable.")
    Map<String, String> kafkaConfig = new LinkedHashMap<>();

    FabricSpec spec() {
        if (!connect.isEmpty() && !kafkaConfig.isEmpty()) {
            throw new IllegalArgumentException("--kafka-config configures the fabric's own broker; with --connect set the"
                    + " running broker's properties instead");
        }
        if (!connect.isEmpty()) {
            return new ExistingFabricSpec(connect, bootstrap, topic, secret, issuer, audience, monitor, dispatcherGroup,
                    nodeTopicPrefix);
        }
        if (!kafka.equals("process") && !kafka.equals("in-process")) {
            throw new IllegalArgumentException("--kafka must be 'process' or 'in-process', was '" + kafka + "'");
        }
        return new OwnFabricSpec(connectors, kafka.equals("in-process"), partitions, launch,
                Optional.ofNullable(connectorJar), Optional.ofNullable(dispatcherJar), words(connectorJvm),
                words(dispatcherJvm), words(brokerJvm), env, kafkaConfig);
    }

    /** JVM options as written on the command line, one per word. */
    static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
