package io.pushfabric.loadtest.fabric;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fabric the load generator starts for itself, each service in its own JVM.
 *
 * @param connectors      connector processes (node ids {@code lt-node-0}, ...)
 * @param kafkaInProcess  Kafka inside the load generator's JVM (faster to start; its CPU then counts as the
 *                        load generator's) instead of a JVM of its own
 * @param partitions      partitions of {@code push-requests}
 * @param launch          where service code comes from
 * @param connectorJar    an explicit connector jar, else searched for
 * @param dispatcherJar   an explicit dispatcher jar, else searched for
 * @param connectorJvm    JVM options of each connector
 * @param dispatcherJvm   JVM options of the dispatcher
 * @param brokerJvm       JVM options of the Kafka broker process
 * @param env             extra {@code PUSH_*} / {@code KAFKA_*} variables for every service (override ours)
 * @param kafkaConfig     broker properties on top of {@code EmbeddedKafka}'s (e.g. {@code num.io.threads})
 */
public record OwnFabricSpec(int connectors, boolean kafkaInProcess, int partitions, ServiceImage.Launch launch,
                            Optional<Path> connectorJar, Optional<Path> dispatcherJar, List<String> connectorJvm,
                            List<String> dispatcherJvm, List<String> brokerJvm, Map<String, String> env,
                            Map<String, String> kafkaConfig)
        implements FabricSpec {
    public OwnFabricSpec {
        if (connectors < 1) {
            throw new IllegalArgumentException("at least one connector, not " + connectors);
        }
        connectorJvm = List.copyOf(connectorJvm);
        dispatcherJvm = List.copyOf(dispatcherJvm);
        brokerJvm = List.copyOf(brokerJvm);
        env = Map.copyOf(env);
        kafkaConfig = Map.copyOf(kafkaConfig);
    }

    /** A fabric with the broker's own settings. */
    public OwnFabricSpec(int connectors, boolean kafkaInProcess, int partitions, ServiceImage.Launch launch,
                         Optional<Path> connectorJar, Optional<Path> dispatcherJar, List<String> connectorJvm,
                         List<String> dispatcherJvm, List<String> brokerJvm, Map<String, String> env) {
        this(connectors, kafkaInProcess, partitions, launch, connectorJar, dispatcherJar, connectorJvm, dispatcherJvm,
                brokerJvm, env, Map.of());
    }

    public OwnFabricSpec withConnectors(int n) {
        return new OwnFabricSpec(n, kafkaInProcess, partitions, launch, connectorJar, dispatcherJar, connectorJvm,
                dispatcherJvm, brokerJvm, env, kafkaConfig);
    }
}
