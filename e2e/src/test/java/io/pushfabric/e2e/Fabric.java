package io.pushfabric.e2e;

import io.pushfabric.client.KeyPartitions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.connector.ConnectorApp;
import io.pushfabric.connector.ConnectorConfig;
import io.pushfabric.connector.auth.AuthSettings;
import io.pushfabric.connector.auth.TokenIssuer;
import io.pushfabric.contracts.Topics;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.config.Env;
import io.pushfabric.contracts.config.ServiceEnv;
import io.pushfabric.client.PushPublisher;
import io.pushfabric.dispatcher.DispatcherApp;
import io.pushfabric.dispatcher.DispatcherConfig;
import io.pushfabric.registry.RedisRegistries;
import io.pushfabric.registry.RedisSettings;
import io.pushfabric.testkit.TestInfra;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

/**
 * A whole fabric on real Kafka and real Redis, in this JVM: N connectors, M dispatchers, with topic
 * names and Redis keys of its own so tests never see each other's data.
 */
final class Fabric implements AutoCloseable {
    static final String SECRET = "e2e-test-secret-0123456789-abcdefghijklmnop";

    final String base;
    final Topics topics;
    final Map<String, String> env;
    private final List<ConnectorApp> connectors = new ArrayList<>();
    private final List<DispatcherApp> dispatchers = new ArrayList<>();
    private final Map<Integer, SimpleMeterRegistry> connectorMeters = new HashMap<>();
    private final TokenIssuer tokens;
    final HttpClient http = HttpClient.newHttpClient();
    private PushPublisher publisher;
    private RedisRegistries redis;

    private Fabric(String base, Map<String, String> env) {
        this.base = base;
        this.topics = Topics.withBase(base);
        this.env = env;
        this.tokens = new TokenIssuer(AuthSettings.fromEnv(new Env(env)), Clock.systemUTC());
    }

    static Fabric start(int connectorCount, int dispatcherCount, Map<String, String> extra) {
        String base = TestInfra.uniqueName("e2e");
        Map<String, String> env = ServiceEnv.empty()
                .kafkaBootstrap(TestInfra.kafkaBootstrap())
                .redis(TestInfra.redisUri(), base + ":")
                .topics(Topics.withBase(base))
                .requestPartitions(6)
                .jwtSecret(SECRET)
                .port(0)
                .httpPort(0)
                .ioThreads(2)
                .dispatcherGroup(base + "-dispatchers")
                // Every test client connects from 127.0.0.1: one address, so lift its connect rate
                // (HostileClientTest sets it back, with clients that name their own addresses).
                .withAll(Map.of("PUSH_CONNECTS_PER_ADDRESS_PER_MINUTE", "10000000"))
                .withAll(extra)
                .toMap();
        Fabric fabric = new Fabric(base, env);
        try {
            for (int i = 0; i < dispatcherCount; i++) {
                fabric.startDispatcher();
            }
            for (int i = 0; i < connectorCount; i++) {
                fabric.startConnector(i);
            }
        } catch (RuntimeException e) {
            fabric.close();
            throw e;
        }
        return fabric;
    }

    String nodeId(int index) {
        return base + "-n" + index;
    }

    ConnectorApp startConnector(int index) {
        return startConnector(index, Map.of());
    }

    /** @param extra settings of this connector only, over the fabric's */
    ConnectorApp startConnector(int index, Map<String, String> extra) {
        Map<String, String> vars = ServiceEnv.empty().withAll(env).nodeId(nodeId(index)).withAll(extra).toMap();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ConnectorApp app = ConnectorApp.start(ConnectorConfig.fromEnv(vars), meters, () -> "", Clock.systemUTC());
        connectorMeters.put(index, meters);
        while (connectors.size() <= index) {
            connectors.add(null);
        }
        connectors.set(index, app);
        return app;
    }

    DispatcherApp startDispatcher() {
        DispatcherApp app = DispatcherApp.start(DispatcherConfig.fromEnv(env), new SimpleMeterRegistry(), Clock.systemUTC());
        dispatchers.add(app);
        return app;
    }

    ConnectorApp connector(int index) {
        return connectors.get(index);
    }

    /** The meters of the connector started last at {@code index}. */
    SimpleMeterRegistry connectorMeters(int index) {
        return connectorMeters.get(index);
    }

    List<DispatcherApp> dispatchers() {
        return dispatchers;
    }

    String wsUrl(int connector) {
        return "ws://127.0.0.1:" + connectors.get(connector).port() + "/ws";
    }

    String token(String user) {
        return tokens.issue(UserId.of(user), Duration.ofHours(1));
    }

    WsClient connect(int connector, String user, String cursor) {
        return WsClient.connect(http, wsUrl(connector), token(user), cursor).join();
    }

    /** A client of {@code user} on {@code connector}, once it has its welcome. */
    WsClient connectWelcomed(int connector, String user, String cursor) {
        WsClient c = connect(connector, user, cursor);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(c::isWelcomed);
        return c;
    }

    /** The {@code text} field of each push's payload, in arrival order. */
    static List<String> texts(List<io.pushfabric.contracts.frames.ServerFrame.Push> pushes) {
        return pushes.stream().map(p -> p.request().payload().tree().path("text").asText()).toList();
    }

    /** Connects without a cursor, waits for the welcome, leaves, and returns the cursor the welcome gave. */
    String cursorOfAVisit(int connector, String user) {
        WsClient visit = connect(connector, user, null);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(visit::isWelcomed);
        String cursor = visit.cursor();
        visit.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(visit::isClosed);
        return cursor;
    }

    /** The partition of {@code push-requests} Kafka's default partitioner picks for a routing key. */
    int partitionOf(String key) {
        return KeyPartitions.of(key, Integer.parseInt(env.get("PUSH_REQUESTS_PARTITIONS")));
    }

    /** Another user whose messages land in {@code user}'s partition. */
    String neighbourOf(String user) {
        for (int i = 0; ; i++) {
            String candidate = user + "-neighbour-" + i;
            if (partitionOf(candidate) == partitionOf(user)) {
                return candidate;
            }
        }
    }

    synchronized PushPublisher publisher() {
        if (publisher == null) {
            publisher = PushPublisher.create(env.get("PUSH_KAFKA_BOOTSTRAP"), topics.requests());
        }
        return publisher;
    }

    synchronized RedisRegistries redis() {
        if (redis == null) {
            redis = RedisRegistries.connect(new RedisSettings(env.get("PUSH_REDIS"), base + ":"));
        }
        return redis;
    }

    double dispatched(String outcome) {
        return dispatchers.stream().mapToDouble(d -> d.metrics().count(outcome)).sum();
    }

    @Override
    public void close() {
        for (ConnectorApp c : connectors) {
            if (c != null) {
                c.close();
            }
        }
        for (DispatcherApp d : dispatchers) {
            d.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
