package io.pushfabric.contracts.config;

import io.pushfabric.contracts.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code PUSH_*} settings of connectors and dispatchers, built the typed way by whoever starts them:
 * {@code pushfabric dev}, the end-to-end tests and the load test. Immutable: each method returns a copy with
 * one more setting, so one common base can be extended per service. {@link #toMap()} is what
 * {@code ConnectorConfig.fromEnv} and {@code DispatcherConfig.fromEnv} read (docs/operations.md, Settings).
 */
public final class ServiceEnv {
    private final Map<String, String> vars;

    private ServiceEnv(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    /** No settings: every service default applies. */
    public static ServiceEnv empty() {
        return new ServiceEnv(Map.of());
    }

    /** {@code PUSH_KAFKA_BOOTSTRAP}. */
    public ServiceEnv kafkaBootstrap(String servers) {
        return with("PUSH_KAFKA_BOOTSTRAP", servers);
    }

    /** {@code PUSH_REDIS} (URI or Redisson YAML path) and {@code PUSH_REDIS_PREFIX}. */
    public ServiceEnv redis(String uri, String keyPrefix) {
        return with("PUSH_REDIS", uri).with("PUSH_REDIS_PREFIX", keyPrefix);
    }

    /** {@code PUSH_JWT_SECRET}. */
    public ServiceEnv jwtSecret(String secret) {
        return with("PUSH_JWT_SECRET", secret);
    }

    /** {@code PUSH_TOPIC_REQUESTS}, {@code PUSH_TOPIC_DLQ}, {@code PUSH_TOPIC_NODE_PREFIX}. */
    public ServiceEnv topics(Topics topics) {
        return with("PUSH_TOPIC_REQUESTS", topics.requests()).with("PUSH_TOPIC_DLQ", topics.deadLetter())
                .with("PUSH_TOPIC_NODE_PREFIX", topics.nodePrefix());
    }

    /** {@code PUSH_REQUESTS_PARTITIONS}: partitions of {@code push-requests} when a service creates it. */
    public ServiceEnv requestPartitions(int partitions) {
        return with("PUSH_REQUESTS_PARTITIONS", atLeast("requestPartitions", partitions, 1));
    }

    /** {@code PUSH_TOPIC_REPLICATION} of the topics a service creates (0 = min(3, brokers)). */
    public ServiceEnv topicReplication(int replication) {
        return with("PUSH_TOPIC_REPLICATION", atLeast("topicReplication", replication, 0));
    }

    /** {@code PUSH_DISPATCHER_GROUP}. */
    public ServiceEnv dispatcherGroup(String group) {
        return with("PUSH_DISPATCHER_GROUP", group);
    }

    /** {@code PUSH_HTTP_PORT}: the dispatcher's status port (0 = any free port). */
    public ServiceEnv httpPort(int port) {
        return with("PUSH_HTTP_PORT", port("httpPort", port));
    }

    /** {@code PUSH_PORT}: the connector's WebSocket and status port (0 = any free port). */
    public ServiceEnv port(int port) {
        return with("PUSH_PORT", port("port", port));
    }

    /** {@code PUSH_HOST}: the interface the connector binds. */
    public ServiceEnv host(String host) {
        return with("PUSH_HOST", host);
    }

    /** {@code PUSH_IO_THREADS}: the connector's Undertow IO threads. */
    public ServiceEnv ioThreads(int threads) {
        return with("PUSH_IO_THREADS", atLeast("ioThreads", threads, 1));
    }

    /** {@code PUSH_NODE_ID}. */
    public ServiceEnv nodeId(String node) {
        return with("PUSH_NODE_ID", node);
    }

    /** {@code PUSH_ADVERTISED_ADDRESS}: {@code host:port} other services use to reach this connector. */
    public ServiceEnv advertisedAddress(String hostAndPort) {
        return with("PUSH_ADVERTISED_ADDRESS", hostAndPort);
    }

    /** Any other variables, e.g. a user's {@code -e PUSH_SEND_QUEUE_LIMIT=5000}; they override ours. */
    public ServiceEnv withAll(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(vars);
        all.putAll(more);
        return new ServiceEnv(all);
    }

    /** The variables, for {@code *Config.fromEnv} or a child process's environment. */
    public Map<String, String> toMap() {
        return vars;
    }

    private ServiceEnv with(String name, String value) {
        Objects.requireNonNull(value, name);
        Map<String, String> all = new HashMap<>(vars);
        all.put(name, value);
        return new ServiceEnv(all);
    }

    private static String atLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", was " + value);
        }
        return Integer.toString(value);
    }

    private static String port(String what, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " must be in 0..65535, was " + port);
        }
        return Integer.toString(port);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new HashMap<>(vars);
        shown.computeIfPresent("PUSH_JWT_SECRET", (k, v) -> "<redacted>");
        return "ServiceEnv" + shown;
    }
}
