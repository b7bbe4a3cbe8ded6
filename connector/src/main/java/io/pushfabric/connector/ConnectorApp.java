package io.pushfabric.connector;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushfabric.connector.auth.JwtAuthenticator;
import io.pushfabric.connector.http.ChannelFrames;
import io.pushfabric.connector.http.EdgePolicies;
import io.pushfabric.connector.http.UndertowServer;
import io.pushfabric.connector.kafka.ControlTopicConsumer;
import io.pushfabric.connector.kafka.KafkaMarkerLog;
import io.pushfabric.connector.kafka.KafkaReplayReader;
import io.pushfabric.connector.kafka.ReplayMetrics;
import io.pushfabric.connector.kafka.ReplayWindow;
import io.pushfabric.connector.kafka.NodeTopicConsumer;
import io.pushfabric.connector.lease.NodeHeartbeat;
import io.pushfabric.connector.lease.NodeRejoin;
import io.pushfabric.connector.limits.EdgeLimits;
import io.pushfabric.connector.session.ChannelMetrics;
import io.pushfabric.connector.session.ChannelSubscriptions;
import io.pushfabric.connector.session.ClientSession;
import io.pushfabric.connector.session.LocalChannels;
import io.pushfabric.connector.session.LocalSessions;
import io.pushfabric.connector.session.RequestsTopic;
import io.pushfabric.connector.session.SessionDrain;
import io.pushfabric.connector.session.SessionLifecycle;
import io.pushfabric.connector.session.SessionMetrics;
import io.pushfabric.connector.session.SessionReceipts;
import io.pushfabric.connector.session.TokenExpiry;
import io.pushfabric.contracts.AdminCommand;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.client.KafkaReceiptSink;
import io.pushfabric.client.TopicAdmin;
import io.pushfabric.client.KeyPartitions;
import io.pushfabric.registry.PresenceSchedulingRoutes;
import io.pushfabric.contracts.receipts.ReceiptSink;
import io.pushfabric.registry.RedisRegistries;
import io.pushfabric.registry.RouteRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running connector node. Start-up order matters: the node topic is read from its end before the
 * lease exists, the lease exists before the node is announced on every partition, and the node is
 * announced before any client can connect. After a lapsed lease the node fences itself and joins again in
 * the same order ({@link NodeRejoin}).
 */
public final class ConnectorApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorApp.class);
    private static final Duration MAX_REJOIN_BACKOFF = Duration.ofSeconds(30);
    /** A replay reads ranges that exist already; at most this long for a range that ends at the log's end. */
    private static final int REPLAY_FETCH_WAIT_MS = 50;
    /** With no replay for this long, the replay window lets go of what it kept. */
    private static final Duration REPLAY_WINDOW_IDLE = Duration.ofSeconds(60);
    /** How long a join waits for the node-topic reader to move to the topic's end; a failed join is retried. */
    private static final Duration READER_RESTART_TIMEOUT = Duration.ofSeconds(30);
    private static final int TAIL_FETCH_WAIT_MS = 5_000;

    private final ConnectorConfig config;
    private final LocalSessions sessions;
    private final UndertowServer server;
    private final NodeHeartbeat heartbeat;
    private final NodeRejoin membership;
    private final NodeTopicConsumer nodeConsumer;
    private final SessionMetrics metrics;
    private final SessionDrain drainer;
    private final ChannelSubscriptions subscriptions;
    private final Deque<AutoCloseable> closeables;
    private final AtomicBoolean draining = new AtomicBoolean();

    private ConnectorApp(ConnectorConfig config, LocalSessions sessions, UndertowServer server, NodeHeartbeat heartbeat,
                         NodeRejoin membership, NodeTopicConsumer nodeConsumer, SessionMetrics metrics, SessionDrain drainer,
                         ChannelSubscriptions subscriptions, Deque<AutoCloseable> closeables) {
        this.config = config;
        this.sessions = sessions;
        this.server = server;
        this.heartbeat = heartbeat;
        this.membership = membership;
        this.nodeConsumer = nodeConsumer;
        this.metrics = metrics;
        this.drainer = drainer;
        this.subscriptions = subscriptions;
        this.closeables = closeables;
    }

    public static ConnectorApp start(ConnectorConfig config, MeterRegistry meters, Supplier<String> metricsText,
                                     Clock clock) {
        LOG.info("Starting connector: {}", config.describe());
        NodeId node = config.nodeId();
        Deque<AutoCloseable> closeables = new ArrayDeque<>();
        try {
            String requests = config.kafka().topics().requests();
            String nodeTopic = config.kafka().topics().nodeTopic(node);
            RequestsTopic topic;
            Optional<KafkaReceiptSink> receiptWriter;
            try (Admin admin = Admin.create(config.kafka().clientConfig(Map.of()))) {
                TopicAdmin topics = new TopicAdmin(admin);
                topics.ensure(requests, config.topicSettings().requestPartitions(), config.topicSettings().replication(),
                        Map.of());
                ensureNodeTopic(topics, config, nodeTopic);
                topics.ensure(config.kafka().topics().control(), 1, config.topicSettings().replication(), Map.of());
                TopicDescription description = topics.describe(requests);
                topic = new RequestsTopic(description.topicId().toString(), description.partitions().size());
                receiptWriter = KafkaReceiptSink.startIfEnabled(config.receipts(), topics,
                        config.kafka().clientConfig(Map.of()), topic.partitions(), config.topicSettings().replication(),
                        "pushfabric-connector-receipts-" + node, meters);
            }
            receiptWriter.ifPresent(closeables::push);
            SessionReceipts receipts = new SessionReceipts(config.receipts().mode(),
                    receiptWriter.<ReceiptSink>map(w -> w).orElse(ReceiptSink.NONE), node, clock,
                    config.receipts().ackWindow());
            LOG.info("{} has id {} and {} partitions", requests, topic.topicId(), topic.partitions());

            RedisRegistries redis = RedisRegistries.connect(config.redis());
            closeables.push(redis);
            LocalSessions sessions = new LocalSessions();
            SessionMetrics metrics = new SessionMetrics(meters, clock, sessions::size);
            LocalChannels channels = new LocalChannels(redis.channels(), redis.channelMembers(), node, config.channels().maxSubscribersPerNode());

            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafka().clientConfig(Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 1,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                    ProducerConfig.CLIENT_ID_CONFIG, "pushfabric-connector-" + node)),
                    new StringSerializer(), new ByteArraySerializer());
            closeables.push(producer);
            KafkaMarkerLog markers = new KafkaMarkerLog(producer, requests, node);

            NodeTopicConsumer nodeConsumer = new NodeTopicConsumer(tailing(config, "node-" + node), nodeTopic,
                    sessions, channels, metrics, node, clock, receipts);
            nodeConsumer.seekToEnd();
            Thread consumerThread = thread("pf-node-consumer-" + node, nodeConsumer);
            closeables.push(() -> {
                nodeConsumer.stop();
                consumerThread.join(10_000);
            });
            consumerThread.start();

            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, named("pf-timer-" + node));
            ExecutorService joiner = Executors.newSingleThreadExecutor(named("pf-join-" + node));
            NodeHeartbeat heartbeat = new NodeHeartbeat(redis.nodes(), node, config.advertisedAddress(),
                    config.lease().ttl(), sessions::size, clock);
            Duration beat = config.lease().heartbeat();
            NodeRejoin membership = new NodeRejoin(sessions, heartbeat, () -> readFromItsEnd(nodeConsumer,
                    ensureNodeTopic(config, nodeTopic)),
                    () -> markers.nodeJoined(topic.partitions()), joiner, clock, beat,
                    MAX_REJOIN_BACKOFF.compareTo(beat) > 0 ? MAX_REJOIN_BACKOFF : beat);
            closeables.push(() -> {
                // Stop the timer and any join first, so no heartbeat renews the lease after we gave it up.
                scheduler.shutdownNow();
                joiner.shutdownNow();
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
                joiner.awaitTermination(5, TimeUnit.SECONDS);
                heartbeat.leave();
            });
            scheduler.scheduleAtFixedRate(membership, beat.toMillis(), beat.toMillis(), TimeUnit.MILLISECONDS);
            membership.joinNow();

            ReplayWindow window = new ReplayWindow(config.replay().windowBytes(), topic.partitions(),
                    REPLAY_WINDOW_IDLE.toMillis());
            KafkaReplayReader replay = new KafkaReplayReader(() -> consumer(config, "replay-" + node, REPLAY_FETCH_WAIT_MS), requests,
                    new PushRequestCodec(config.replay().maxPayloadBytes()), redis.dedupe(), config.replay(), window,
                    new ReplayMetrics(meters, window), clock);
            closeables.push(replay);
            ExecutorService sessionExecutor = Executors.newFixedThreadPool(8, named("pf-session-" + node));
            closeables.push(() -> {
                sessionExecutor.shutdown();
                sessionExecutor.awaitTermination(10, TimeUnit.SECONDS);
            });
            SessionLifecycle lifecycle = new SessionLifecycle(node, sessions, routes(config, redis, topic), markers, replay, topic,
                    config.session(), metrics, clock, sessionExecutor, receipts);

            ChannelSubscriptions subscriptions = new ChannelSubscriptions(node, channels, markers, replay, topic,
                    config.channels(), config.session(),
                    new ChannelMetrics(meters, channels::channelCount, channels::subscriptionCount), clock, sessionExecutor);
            TokenExpiry tokenExpiry = new TokenExpiry(meters, clock);
            scheduler.scheduleAtFixedRate(() -> {
                try {
                    tokenExpiry.closeExpired();
                } catch (RuntimeException e) {
                    LOG.error("Closing sessions with expired tokens failed; retrying in 1 s", e);
                }
            }, 1, 1, TimeUnit.SECONDS);
            JwtAuthenticator auth = new JwtAuthenticator(config.auth(), clock);
            EdgePolicies policies = new EdgePolicies(auth,
                    EdgeLimits.create(config.limits(), meters, clock), config.auth().allowedOrigins(), tokenExpiry,
                    config.tls().orElse(null));
            UndertowServer server = new UndertowServer(config.webSocket(), policies, lifecycle,
                    new ChannelFrames(auth, config.channels(), subscriptions), metrics,
                    () -> isReady(heartbeat, membership, nodeConsumer), metricsText, scheduler, clock);
            SessionDrain drainer = new SessionDrain(sessions, scheduler, clock);
            Duration maxLifetime = config.drain().maxLifetime();
            if (!maxLifetime.isZero()) {
                scheduler.scheduleAtFixedRate(() -> drainer.expireOld(maxLifetime), 1, 1, TimeUnit.SECONDS);
            }
            server.start();
            closeables.push(server);
            ConnectorApp app = new ConnectorApp(config, sessions, server, heartbeat, membership, nodeConsumer, metrics,
                    drainer, subscriptions, closeables);
            ControlTopicConsumer control = new ControlTopicConsumer(tailing(config, "control-" + node),
                    config.kafka().topics().control(), command -> app.onAdminCommand(command, sessionExecutor));
            control.seekToEnd();
            Thread controlThread = thread("pf-control-" + node, control);
            closeables.push(() -> {
                control.stop();
                controlThread.join(10_000);
            });
            controlThread.start();
            LOG.info("Connector {} ready on port {}", node, server.port());
            return app;
        } catch (RuntimeException e) {
            closeAll(closeables);
            throw e;
        }
    }

    /**
     * A consumer that follows the end of a topic (the node topic, the control topic). With {@code fetch.min.bytes}
     * at 1 the broker answers a fetch as soon as a record arrives, so the longer wait costs no latency; it only
     * makes an idle node send a fetch every 5 s instead of 20 a second. See operations.md, "Kafka client settings".
     */
    private static KafkaConsumer<String, byte[]> tailing(ConnectorConfig config, String clientId) {
        return consumer(config, clientId, TAIL_FETCH_WAIT_MS);
    }

    private static KafkaConsumer<String, byte[]> consumer(ConnectorConfig config, String clientId, int fetchMaxWaitMs) {
        return new KafkaConsumer<>(config.kafka().clientConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs,
                ConsumerConfig.CLIENT_ID_CONFIG, "pushfabric-" + clientId)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setUncaughtExceptionHandler((th, e) -> LOG.error("Thread {} died", th.getName(), e));
        return t;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = thread(prefix + "-" + n.incrementAndGet(), r);
            t.setDaemon(true);
            return t;
        };
    }

    public NodeId nodeId() {
        return config.nodeId();
    }

    public int port() {
        return server.port();
    }

    public int sessionCount() {
        return sessions.size();
    }

    public SessionMetrics metrics() {
        return metrics;
    }

    /** Alive, joined (not fenced), holding its lease, reading its node topic, and not draining. */
    public boolean isReady() {
        return !draining.get() && isReady(heartbeat, membership, nodeConsumer);
    }

    private static boolean isReady(NodeHeartbeat heartbeat, NodeRejoin membership, NodeTopicConsumer nodeConsumer) {
        return !membership.isFenced() && heartbeat.holdsLease() && nodeConsumer.millisSinceLastPoll() < 30_000;
    }

    /** A join waits until the node-topic reader stands at the topic's end ({@link NodeTopicConsumer#restartAt}). */
    private static void readFromItsEnd(NodeTopicConsumer reader, long end) {
        try {
            reader.restartAt(end).get(READER_RESTART_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the node topic reader moved to its end", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the node topic reader did not move to its end: " + e, e);
        }
    }

    /**
     * Creates the node topic if it is missing (at start, and at a rejoin: a janitor may have deleted it).
     * @return the topic's end now
     */
    private static long ensureNodeTopic(ConnectorConfig config, String nodeTopic) {
        try (Admin admin = Admin.create(config.kafka().clientConfig(Map.of()))) {
            TopicAdmin topics = new TopicAdmin(admin);
            ensureNodeTopic(topics, config, nodeTopic);
            return topics.endOffset(nodeTopic);
        }
    }

    private static void ensureNodeTopic(TopicAdmin topics, ConnectorConfig config, String nodeTopic) {
        topics.ensure(nodeTopic, 1, config.topicSettings().replication(), Map.of(
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.topicSettings().nodeTopicRetention().toMillis())));
    }

    private void onAdminCommand(AdminCommand command, ExecutorService executor) {
        switch (command.kind()) {
            case DISCONNECT_USER -> {
                for (ClientSession s : sessions.sessionsOf(command.user())) {
                    s.close(CloseCodes.DISCONNECTED_BY_ADMIN, "disconnected by an operator");
                }
            }
            case DRAIN_NODE -> {
                if (command.node().equals(config.nodeId())) {
                    executor.execute(this::drain);
                }
            }
            case SUBSCRIBE_USER -> {
                for (ClientSession s : sessions.sessionsOf(command.user())) {
                    subscriptions.subscribeByServer(s, command.channel());
                }
            }
            case UNSUBSCRIBE_USER -> {
                for (ClientSession s : sessions.sessionsOf(command.user())) {
                    subscriptions.unsubscribe(s, command.channel(), "server");
                }
            }
        }
    }

    /**
     * Stops taking sessions (readiness goes false, upgrades get 503) and moves every client away, spread
     * over the drain window. The node keeps delivering to each client until its turn comes.
     *
     * @return sessions still open when the window (plus 5 s) ended
     */
    public int drain() {
        if (!draining.compareAndSet(false, true)) {
            return sessions.size();
        }
        server.refuseUpgrades();
        int left = drainer.drain(config.drain().window(), Duration.ofSeconds(5));
        LOG.info("Drain of {} finished; {} sessions left", config.nodeId(), left);
        return left;
    }

    /** What SIGTERM does: drain, then stop. */
    public void drainAndClose() {
        drain();
        close();
    }

    public boolean isDraining() {
        return draining.get();
    }

    @Override
    public void close() {
        LOG.info("Stopping connector {}", config.nodeId());
        server.refuseUpgrades();
        for (ClientSession s : sessions.snapshot()) {
            s.close(CloseCodes.GOING_AWAY, "node shutting down; resume with your cursor");
        }
        closeAll(closeables);
        LOG.info("Connector {} stopped", config.nodeId());
    }

    /** The routes sessions register in; with presence on, each change also schedules a presence check. */
    private static RouteRegistry routes(ConnectorConfig config, RedisRegistries redis, RequestsTopic topic) {
        if (!config.presence().enabled()) {
            return redis.routes();
        }
        return new PresenceSchedulingRoutes(redis.routes(), redis.presence(),
                user -> KeyPartitions.of(user.value(), topic.partitions()), config.presence().grace());
    }

    private static void closeAll(Deque<AutoCloseable> closeables) {
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("Error while stopping: {}", e.toString());
            }
        }
    }
}
