package io.pushfabric.loadtest.fabric;

import io.pushfabric.contracts.Topics;
import io.pushfabric.contracts.config.ServiceEnv;
import io.pushfabric.embedded.EmbeddedKafka;
import io.pushfabric.embedded.RedisServerProcess;
import io.pushfabric.loadtest.measure.Watched;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fabric of our own on loopback: Kafka (a JVM of its own, or inside this one), a redis-server child
 * process, one dispatcher and N connectors, each service in its own JVM started from its shaded jar. The
 * services start in parallel; every process is stopped, by its own handle, on {@link #close()}.
 */
final class OwnFabric implements Fabric {
    private static final Logger LOG = LoggerFactory.getLogger(OwnFabric.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final String CONNECTOR_MAIN = "io.pushfabric.connector.ConnectorMain";
    private static final String DISPATCHER_MAIN = "io.pushfabric.dispatcher.DispatcherMain";

    private final Deque<AutoCloseable> running;
    private final Map<String, String> env;
    private final String bootstrap;
    private final String secret;
    private final List<URI> urls;
    private final List<ServiceProcess> connectors;
    private final List<Watched> processes;
    private final Map<String, String> description;

    private OwnFabric(Deque<AutoCloseable> running, Map<String, String> env, String bootstrap, String secret,
                      List<URI> urls, List<ServiceProcess> connectors, List<Watched> processes,
                      Map<String, String> description) {
        this.running = running;
        this.env = env;
        this.bootstrap = bootstrap;
        this.secret = secret;
        this.urls = urls;
        this.connectors = connectors;
        this.processes = processes;
        this.description = description;
    }

    static OwnFabric start(OwnFabricSpec spec, Path runDir) {
        long started = System.nanoTime();
        Path logs = runDir.resolve("logs");
        Deque<AutoCloseable> running = new ArrayDeque<>();
        List<Watched> processes = new ArrayList<>();
        Map<String, String> d = new LinkedHashMap<>();
        try {
            Files.createDirectories(logs);
            String bootstrap;
            if (spec.kafkaInProcess()) {
                EmbeddedKafka kafka = EmbeddedKafka.builder().port(ListenPorts.pick())
                        .brokerProperties(spec.kafkaConfig()).start();
                running.push(kafka);
                bootstrap = kafka.bootstrapServers();
                d.put("kafka", "Apache Kafka " + Versions.get("kafka") + ", KRaft single node, inside the load generator JVM");
            } else {
                KafkaBrokerMain.Launched broker = KafkaBrokerMain.launch(spec.brokerJvm(), spec.kafkaConfig(), runDir,
                        logs, READY_TIMEOUT);
                running.push(broker.process());
                bootstrap = broker.bootstrap();
                processes.add(new Watched("kafka", broker.process().pid()));
                d.put("kafka", "Apache Kafka " + Versions.get("kafka") + ", KRaft single node, own JVM "
                        + String.join(" ", spec.brokerJvm()));
            }
            d.put("kafka config overrides", new TreeMap<>(spec.kafkaConfig()).toString());
            RedisServerProcess redis = RedisServerProcess.start(ListenPorts.pick());
            running.push(redis);
            processes.add(new Watched("redis", redis.pid()));
            d.put("redis", "redis-server " + redis.version() + " (pid " + redis.pid() + ")");

            String secret = randomSecret();
            ServiceEnv common = ServiceEnv.empty()
                    .kafkaBootstrap(bootstrap)
                    .redis(redis.uri(), "lt:")
                    .jwtSecret(secret)
                    .requestPartitions(spec.partitions())
                    .topicReplication(1)
                    // Every simulated client connects from this machine: lift the limits meant for strangers on
                    // the internet, so the run measures the fabric, not its abuse limits (--env can set them back).
                    .withAll(Map.of("PUSH_CONNECTS_PER_ADDRESS_PER_MINUTE", "10000000",
                            "PUSH_MAX_CONNECTIONS", "10000000"))
                    .withAll(spec.env());

            ServiceImage dispatcherImage = ServiceImage.resolve("dispatcher", DISPATCHER_MAIN, spec.dispatcherJar(),
                    spec.launch(), runDir.resolve("jars"));
            ServiceImage connectorImage = ServiceImage.resolve("connector", CONNECTOR_MAIN, spec.connectorJar(),
                    spec.launch(), runDir.resolve("jars"));

            int statusPort = ListenPorts.pick();
            ServiceProcess dispatcher = ServiceProcess.start("dispatcher",
                    dispatcherImage.command(spec.dispatcherJvm(), List.of()), common.httpPort(statusPort).toMap(), logs);
            running.push(dispatcher);

            List<ServiceProcess> connectors = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            List<URI> urls = new ArrayList<>();
            for (int i = 0; i < spec.connectors(); i++) {
                int port = ListenPorts.pick();
                Map<String, String> env = common.nodeId("lt-node-" + i).host("127.0.0.1").port(port)
                        .advertisedAddress("127.0.0.1:" + port).toMap();
                ServiceProcess connector = ServiceProcess.start("connector-" + i,
                        connectorImage.command(spec.connectorJvm(), List.of()), env, logs);
                running.push(connector);
                connectors.add(connector);
                ports.add(port);
                urls.add(URI.create("ws://127.0.0.1:" + port + "/ws"));
            }
            dispatcher.awaitReady(ServiceProcess.httpOk("http://127.0.0.1:" + statusPort + "/readyz"), READY_TIMEOUT);
            for (int i = 0; i < connectors.size(); i++) {
                connectors.get(i).awaitReady(ServiceProcess.httpOk("http://127.0.0.1:" + ports.get(i) + "/readyz"),
                        READY_TIMEOUT);
                processes.add(new Watched(connectors.get(i).name(), connectors.get(i).pid()));
            }
            processes.add(new Watched("dispatcher", dispatcher.pid()));

            d.put("connector", spec.connectors() + " × " + connectorImage.describe() + " " + String.join(" ", spec.connectorJvm()));
            d.put("dispatcher", "1 × " + dispatcherImage.describe() + " " + String.join(" ", spec.dispatcherJvm()));
            d.put("push-requests partitions", Integer.toString(spec.partitions()));
            d.put("service env overrides", spec.env().toString());
            d.put("undertow", Versions.get("undertow"));
            d.put("redisson", Versions.get("redisson"));
            LOG.info("Fabric ready in {} ms: {} connector(s) at {}, Kafka {}, {}",
                    (System.nanoTime() - started) / 1_000_000, connectors.size(), urls, bootstrap, redis.uri());
            return new OwnFabric(running, common.toMap(), bootstrap, secret, List.copyOf(urls), List.copyOf(connectors),
                    List.copyOf(processes), d);
        } catch (Exception e) {
            closeAll(running);
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start the fabric: " + e, e);
        }
    }

    @Override
    public List<URI> webSocketUrls() {
        return urls;
    }

    @Override
    public String bootstrap() {
        return bootstrap;
    }

    @Override
    public String requestsTopic() {
        return env.getOrDefault("PUSH_TOPIC_REQUESTS", Topics.DEFAULT.requests());
    }

    @Override
    public String dispatcherGroup() {
        return env.getOrDefault("PUSH_DISPATCHER_GROUP", "pushfabric-dispatcher");
    }

    @Override
    public String nodeTopicPrefix() {
        return env.getOrDefault("PUSH_TOPIC_NODE_PREFIX", Topics.DEFAULT.nodePrefix());
    }

    @Override
    public String jwtSecret() {
        return secret;
    }

    @Override
    public String jwtIssuer() {
        return null;
    }

    @Override
    public String jwtAudience() {
        return null;
    }

    @Override
    public List<Watched> processes() {
        return processes;
    }

    @Override
    public List<Watched> connectors() {
        return connectors.stream().map(c -> new Watched(c.name(), c.pid())).toList();
    }

    @Override
    public void killConnector(int index) {
        ServiceProcess victim = connectors.get(index);
        LOG.info("Killing {} (pid {}) with SIGKILL", victim.name(), victim.pid());
        victim.kill9();
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("mode", "own fabric on loopback, each service its own JVM");
        d.putAll(description);
        return d;
    }

    @Override
    public synchronized void close() {
        closeAll(running);
    }

    private static void closeAll(Deque<AutoCloseable> running) {
        while (!running.isEmpty()) {
            AutoCloseable c = running.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", c, e.toString());
            }
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[36];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
