package io.pushfabric.launcher;

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
import io.pushfabric.dispatcher.api.ApiKeys;
import io.pushfabric.dispatcher.api.ApiScope;
import io.pushfabric.dispatcher.api.ApiSettings;
import io.pushfabric.dispatcher.api.PublishApi;
import io.pushfabric.dispatcher.http.StatusServer;
import io.pushfabric.embedded.EmbeddedKafka;
import io.pushfabric.embedded.FreePorts;
import io.pushfabric.embedded.RedisServerProcess;
import io.pushfabric.launcher.front.FrontApi;
import io.pushfabric.launcher.front.UndertowFront;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole fabric in this JVM: an embedded Kafka broker, a redis-server child process, a dispatcher,
 * the connectors and a front ({@link UndertowFront}). Used by {@code pushfabric dev} and by tests.
 *
 * <p>Start order: Kafka, Redis, dispatcher (it creates {@code push-requests} with
 * {@value #REQUEST_PARTITIONS} partitions) and its HTTP API, publisher, front, connectors. {@link #close()} stops them in
 * reverse order: connectors, front, dispatcher, Redis (its process, by PID), Kafka.
 */
public final class DevFabric implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevFabric.class);

    /**
     * Signs every dev token. It is in the source code, so a token signed with it proves nothing: never
     * configure a real connector with it.
     */
    public static final String DEV_ONLY_JWT_SECRET = AuthSettings.DEV_ONLY_SECRET;
    public static final String REDIS_KEY_PREFIX = "pf:";
    public static final int REQUEST_PARTITIONS = 12;
    /** Validity of the tokens the dev page gets from {@code /api/token}. */
    public static final Duration PAGE_TOKEN_VALIDITY = Duration.ofHours(1);
    private static final String LOOPBACK = "127.0.0.1";
    private static final String ONE_MACHINE_CONNECTS_PER_MINUTE = "1000000";
    /** Channel namespaces open to subscribe frames in dev (docs/protocol.md §6). */
    static final String DEV_CHANNEL_NAMESPACES = "chat=open,dm=user";
    private static final Duration DISPATCHER_ASSIGNMENT_WAIT = Duration.ofSeconds(30);

    private final Deque<AutoCloseable> running;
    private final String kafkaBootstrap;
    private final Path kafkaDataDir;
    private final String redisUri;
    private final Map<String, Integer> connectorPorts;
    private final int dispatcherPort;
    private final URI frontUri;
    private final URI apiUri;
    private final TokenIssuer tokens;
    private final List<String> notes;

    private DevFabric(Deque<AutoCloseable> running, String kafkaBootstrap, Path kafkaDataDir, String redisUri,
                      Map<String, Integer> connectorPorts, int dispatcherPort, URI frontUri, URI apiUri,
                      TokenIssuer tokens, List<String> notes) {
        this.running = running;
        this.kafkaBootstrap = kafkaBootstrap;
        this.kafkaDataDir = kafkaDataDir;
        this.redisUri = redisUri;
        this.connectorPorts = Map.copyOf(connectorPorts);
        this.dispatcherPort = dispatcherPort;
        this.frontUri = frontUri;
        this.apiUri = apiUri;
        this.tokens = tokens;
        this.notes = List.copyOf(notes);
    }

    public static DevFabric start(DevOptions options) {
        return start(options, Clock.systemUTC());
    }

    /** Starts everything and returns once the front accepts connections; on failure stops what it started. */
    public static DevFabric start(DevOptions options, Clock clock) {
        if (options.frontPort() != 0 && !FreePorts.isFree(options.frontPort())) {
            throw new IllegalStateException("Front port " + options.frontPort()
                    + " is already in use; choose another with --port");
        }
        long started = System.nanoTime();
        List<String> notes = new ArrayList<>();
        Deque<AutoCloseable> running = new ArrayDeque<>();
        try {
            int kafkaPort = choosePort("Kafka", options.kafkaPort(), notes);
            Path dataDir = options.kafkaDataDir() == null ? null : options.kafkaDataDir().toAbsolutePath();
            EmbeddedKafka.Builder kafkaBuilder = EmbeddedKafka.builder().port(kafkaPort);
            EmbeddedKafka kafka = (dataDir == null ? kafkaBuilder : kafkaBuilder.dataDir(dataDir)).start();
            running.push(kafka);

            RedisServerProcess redis = RedisServerProcess.start(choosePort("Redis", options.redisPort(), notes));
            running.push(redis);

            // Every dev client comes from this machine, so a per-address connect rate would count them all as
            // one: lift it (the per-user rate and the other limits keep their defaults). Channels of the
            // namespaces chat (anyone) and dm (the users named after '#') may be joined with a subscribe frame.
            ServiceEnv common = ServiceEnv.empty()
                    .kafkaBootstrap(kafka.bootstrapServers())
                    .redis(redis.uri(), REDIS_KEY_PREFIX)
                    .jwtSecret(DEV_ONLY_JWT_SECRET)
                    .requestPartitions(REQUEST_PARTITIONS)
                    .topicReplication(1)
                    .withAll(Map.of("PUSH_CONNECTS_PER_ADDRESS_PER_MINUTE", ONE_MACHINE_CONNECTS_PER_MINUTE,
                            "PUSH_CHANNEL_NAMESPACES", DEV_CHANNEL_NAMESPACES))
                    .withAll(Map.of("PUSH_PRESENCE_ENABLED", "true")); // presence events to push-presence

            int dispatcherPort = choosePort("Dispatcher status", options.dispatcherPort(), notes);
            DispatcherConfig dispatcherConfig = DispatcherConfig.fromEnv(common.httpPort(dispatcherPort).toMap());
            SimpleMeterRegistry dispatcherMeters = new SimpleMeterRegistry();
            DispatcherApp dispatcher = DispatcherApp.start(dispatcherConfig, dispatcherMeters, clock);
            running.push(dispatcher);
            StatusServer status = new StatusServer(LOOPBACK, dispatcherPort, dispatcher::isRunning,
                    dispatcher::isReady, dispatcherMeters::getMetersAsString);
            status.start();
            running.push(status);
            PublishApi api = startApi(options, common, dispatcherConfig, dispatcher, dispatcherMeters, clock, notes);
            running.push(api);

            Map<String, Integer> connectorPorts = new LinkedHashMap<>();
            for (int i = 0; i < options.connectorPorts().size(); i++) {
                String node = DevOptions.nodeName(i);
                connectorPorts.put(node, choosePort("Connector " + node, options.connectorPorts().get(i), notes));
            }

            // The front goes up before the connectors, as a load balancer would, so that it goes down after
            // them: their "going away" close frames still reach the clients through it.
            PushPublisher publisher = PushPublisher.create(kafka.bootstrapServers(), Topics.DEFAULT.requests());
            running.push(publisher);
            TokenIssuer tokens = new TokenIssuer(devAuth(DEV_ONLY_JWT_SECRET), clock);
            FrontApi frontApi = new FrontApi(tokens::issue, PAGE_TOKEN_VALIDITY, publisher::publish, clock);
            List<URI> backends = connectorPorts.values().stream()
                    .map(port -> URI.create("http://" + LOOPBACK + ":" + port)).toList();
            UndertowFront front = UndertowFront.start(options.host(), options.frontPort(), backends, frontApi);
            running.push(front);

            for (Map.Entry<String, Integer> node : connectorPorts.entrySet()) {
                ConnectorConfig config = ConnectorConfig.fromEnvInDevLauncher(common.nodeId(node.getKey())
                        .host(LOOPBACK).port(node.getValue()).advertisedAddress(LOOPBACK + ":" + node.getValue()).toMap());
                SimpleMeterRegistry meters = new SimpleMeterRegistry();
                running.push(ConnectorApp.start(config, meters, meters::getMetersAsString, clock));
            }

            awaitAssigned(dispatcher);
            String shownHost = options.host().equals("0.0.0.0") ? "localhost" : options.host();
            DevFabric fabric = new DevFabric(running, kafka.bootstrapServers(), dataDir, redis.uri(), connectorPorts,
                    status.port(), URI.create("http://" + shownHost + ":" + front.port() + "/"),
                    URI.create("http://" + LOOPBACK + ":" + api.port()), tokens, notes);
            LOG.info("Dev fabric ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return fabric;
        } catch (RuntimeException | Error e) {
            closeAll(running);
            throw e;
        }
    }

    /** The dispatcher's HTTP API (docs/http-api.md), with every scope for the public {@link ApiKeys#DEV_ONLY_KEY}. */
    private static PublishApi startApi(DevOptions options, ServiceEnv common, DispatcherConfig dispatcherConfig,
                                       DispatcherApp dispatcher, SimpleMeterRegistry meters, Clock clock,
                                       List<String> notes) {
        int port = choosePort("HTTP API", options.apiPort(), notes);
        ApiSettings settings = ApiSettings.fromEnvInDevLauncher(common.withAll(Map.of(
                "PUSH_API_HOST", LOOPBACK,
                "PUSH_API_PORT", Integer.toString(port),
                "PUSH_API_KEYS", ApiKeys.entry("dev", EnumSet.allOf(ApiScope.class), ApiKeys.DEV_ONLY_KEY))).toMap())
                .orElseThrow();
        return PublishApi.start(settings, dispatcherConfig.kafka(), dispatcherConfig.maxPayloadBytes(),
                dispatcher.registries().routes(), dispatcher.registries().nodes(),
                dispatcher.registries().channelMembers(), meters, clock);
    }

    /** Auth settings with only a secret, as the dev connectors use them. */
    public static AuthSettings devAuth(String secret) {
        return AuthSettings.fromEnvInDevLauncher(new Env(Map.of("PUSH_JWT_SECRET", secret)));
    }

    /** The dev page, e.g. {@code http://127.0.0.1:8080/}. */
    public URI frontUri() {
        return frontUri;
    }

    /** Where clients connect: the front's {@code /ws}, proxied to a connector. */
    public URI webSocketUri() {
        return URI.create("ws://" + frontUri.getHost() + ":" + frontUri.getPort() + "/ws");
    }

    /** Each connector's own WebSocket endpoint, bypassing the front, by node id. */
    public Map<String, URI> connectorUris() {
        Map<String, URI> uris = new LinkedHashMap<>();
        connectorPorts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                uris.put(e.getKey(), URI.create("ws://" + LOOPBACK + ":" + e.getValue() + "/ws")));
        return uris;
    }

    /** The HTTP publish and presence API, e.g. {@code http://127.0.0.1:8091}; the key is {@link ApiKeys#DEV_ONLY_KEY}. */
    public URI apiUri() {
        return apiUri;
    }

    public URI dispatcherStatusUri() {
        return URI.create("http://" + LOOPBACK + ":" + dispatcherPort + "/readyz");
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** Kafka's data directory when it is kept across runs; empty for a temporary one. */
    public Optional<Path> kafkaDataDir() {
        return Optional.ofNullable(kafkaDataDir);
    }

    public String redisUri() {
        return redisUri;
    }

    /** A token the connectors of this fabric accept. */
    public String token(UserId user, Duration validity) {
        return tokens.issue(user, validity);
    }

    /** Ports that were taken and replaced by free ones, one sentence each. */
    public List<String> notes() {
        return notes;
    }

    @Override
    public void close() {
        LOG.info("Stopping the dev fabric");
        closeAll(running);
        LOG.info("Dev fabric stopped");
    }

    private static void closeAll(Deque<AutoCloseable> running) {
        while (!running.isEmpty()) {
            AutoCloseable next = running.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("Error stopping {}: {}", next.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** The first publish should not wait for a consumer-group join: wait for it here, bounded. */
    private static void awaitAssigned(DispatcherApp dispatcher) {
        long deadline = System.nanoTime() + DISPATCHER_ASSIGNMENT_WAIT.toNanos();
        try {
            while (!dispatcher.isAssigned() && dispatcher.isRunning() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50); // start-up poll, bounded by the deadline
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!dispatcher.isAssigned()) {
            LOG.warn("The dispatcher has no partitions yet after {}; pushes wait until it has", DISPATCHER_ASSIGNMENT_WAIT);
        }
    }

    private static int choosePort(String what, int preferred, List<String> notes) {
        if (preferred == 0) {
            return FreePorts.pick();
        }
        if (FreePorts.isFree(preferred)) {
            return preferred;
        }
        int port = FreePorts.pick();
        notes.add(what + " port " + preferred + " is taken; using " + port + " instead");
        return port;
    }
}
