package io.pushfabric.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the pieces of a {@link DevFabric} listen and keep their data.
 *
 * <p>A port of 0 means "any free port". Every other non-zero port is a preference: Kafka, Redis, the
 * connectors and the dispatcher fall back to a free port when theirs is taken, and say so in the
 * start-up banner. The front port is the one a person types into a browser, so it is exact: a taken
 * front port fails start-up.
 *
 * @param host             interface the front binds (default {@code 127.0.0.1}); everything else binds loopback
 * @param frontPort        front: dev page, {@code /api/*} and the {@code /ws} proxy (default 8080)
 * @param kafkaPort        Kafka client port (default 9092)
 * @param redisPort        redis-server port (default 6379)
 * @param connectorPorts   one port per connector; the nodes are named {@code node-a}, {@code node-b}, ...
 *                         (default 8081, 8082)
 * @param dispatcherPort   the dispatcher's {@code /healthz}, {@code /readyz}, {@code /metrics} (default 8090)
 * @param apiPort          the dispatcher's HTTP publish and presence API, docs/http-api.md (default 8091)
 * @param kafkaDataDir     Kafka's data directory, kept across runs (default {@code ./.pushfabric/kafka}); null
 *                         means a temporary directory deleted on close
 */
public record DevOptions(String host, int frontPort, int kafkaPort, int redisPort, List<Integer> connectorPorts,
                         int dispatcherPort, int apiPort, Path kafkaDataDir) {

    public static final Path DEFAULT_DATA_DIR = Path.of(".pushfabric", "kafka");
    private static final int MAX_CONNECTORS = 26;

    public DevOptions {
        Objects.requireNonNull(host, "host");
        checkPort("front port", frontPort);
        checkPort("Kafka port", kafkaPort);
        checkPort("Redis port", redisPort);
        checkPort("dispatcher port", dispatcherPort);
        checkPort("API port", apiPort);
        connectorPorts = List.copyOf(connectorPorts);
        if (connectorPorts.isEmpty() || connectorPorts.size() > MAX_CONNECTORS) {
            throw new IllegalArgumentException("between 1 and " + MAX_CONNECTORS + " connectors, not "
                    + connectorPorts.size());
        }
        connectorPorts.forEach(port -> checkPort("connector port", port));
    }

    /** The documented defaults of {@code ./pushfabric dev}. */
    public static DevOptions defaults() {
        return new DevOptions("127.0.0.1", 8080, 9092, 6379, List.of(8081, 8082), 8090, 8091, DEFAULT_DATA_DIR);
    }

    /** Free ports everywhere and a temporary Kafka directory: for tests and for running beside another fabric. */
    public static DevOptions ephemeral() {
        return new DevOptions("127.0.0.1", 0, 0, 0, List.of(0, 0), 0, 0, null);
    }

    public DevOptions withHost(String newHost) {
        return new DevOptions(newHost, frontPort, kafkaPort, redisPort, connectorPorts, dispatcherPort, apiPort, kafkaDataDir);
    }

    public DevOptions withFrontPort(int port) {
        return new DevOptions(host, port, kafkaPort, redisPort, connectorPorts, dispatcherPort, apiPort, kafkaDataDir);
    }

    public DevOptions withKafkaDataDir(Path dir) {
        return new DevOptions(host, frontPort, kafkaPort, redisPort, connectorPorts, dispatcherPort, apiPort, dir);
    }

    /** {@code node-a} for the first connector, {@code node-b} for the second, ... */
    public static String nodeName(int index) {
        return "node-" + (char) ('a' + index);
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " must be in 0..65535 but was " + port);
        }
    }
}
