package io.pushfabric.dispatcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.client.KafkaReceiptSink;
import io.pushfabric.client.TopicAdmin;
import io.pushfabric.contracts.receipts.ReceiptSink;
import io.pushfabric.dispatcher.receipts.DispatchReceipts;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.dispatcher.janitor.NodeJanitor;
import io.pushfabric.dispatcher.loop.AssignmentListener;
import io.pushfabric.dispatcher.loop.BatchDispatcher;
import io.pushfabric.dispatcher.loop.DispatchMetrics;
import io.pushfabric.dispatcher.loop.PushRequestLoop;
import io.pushfabric.dispatcher.presence.PresencePublishing;
import io.pushfabric.dispatcher.routing.RouteResolver;
import io.pushfabric.registry.RedisRegistries;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running dispatcher: Redis registries, one consumer loop, its producer. Closing stops it cleanly. */
public final class DispatcherApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DispatcherApp.class);
    /** How long to wait for a node topic's acknowledgement before checking whether the topic still exists. */
    private static final java.time.Duration ACK_PATIENCE = java.time.Duration.ofSeconds(2);
    /** How long node-topic metadata (existence, max.message.bytes) is reused before it is read again. */
    private static final java.time.Duration NODE_TOPICS_TTL = java.time.Duration.ofSeconds(30);
    private static final java.time.Duration PRODUCER_CLOSE_TIMEOUT = java.time.Duration.ofSeconds(1);
    /** The producer's max.request.size: a delivery larger than this is dead-lettered as UNDELIVERABLE. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024 + 64 * 1024;

    private final RedisRegistries redis;
    private final KafkaProducer<String, byte[]> producer;
    private final PushRequestLoop loop;
    private final Thread thread;
    private final DispatchMetrics metrics;
    private final Admin admin;
    private final ScheduledExecutorService scheduler;
    private final java.time.Duration stallLimit;
    /** Null when presence events are off. */
    private final PresencePublishing presence;
    private final AutoCloseable receiptWriter;

    private DispatcherApp(RedisRegistries redis, KafkaProducer<String, byte[]> producer, PushRequestLoop loop,
                          Thread thread, DispatchMetrics metrics, Admin admin, ScheduledExecutorService scheduler,
                          java.time.Duration stallLimit, PresencePublishing presence, AutoCloseable receiptWriter) {
        this.receiptWriter = receiptWriter;
        this.redis = redis;
        this.producer = producer;
        this.loop = loop;
        this.thread = thread;
        this.metrics = metrics;
        this.admin = admin;
        this.scheduler = scheduler;
        this.stallLimit = stallLimit;
        this.presence = presence;
    }

    public static DispatcherApp start(DispatcherConfig config, MeterRegistry meters, Clock clock) {
        LOG.info("Starting dispatcher: {}", config.describe());
        // Distinct client ids per instance, so metrics and broker quotas tell instances apart.
        String instance = java.util.UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> base = config.kafka().clientConfig(Map.of());
        java.util.Deque<AutoCloseable> opened = new java.util.ArrayDeque<>();
        try {
            Admin admin = Admin.create(base);
            opened.push(admin);
            TopicAdmin topics = new TopicAdmin(admin);
            topics.ensure(config.kafka().topics().requests(), config.topicSettings().requestPartitions(),
                    config.topicSettings().replication(), Map.of());
            topics.ensure(config.kafka().topics().deadLetter(), 1, config.topicSettings().replication(), Map.of());
            RedisRegistries redis = RedisRegistries.connect(config.redis());
            opened.push(redis);
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafka().clientConfig(Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    // Tuned for one node-topic record per node per polled batch: see operations.md, "Kafka client settings".
                    ProducerConfig.LINGER_MS_CONFIG, 1,
                    ProducerConfig.BATCH_SIZE_CONFIG, 16 * 1024,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES,
                    ProducerConfig.CLIENT_ID_CONFIG, "pushfabric-dispatcher-producer-" + instance)),
                    new StringSerializer(), new ByteArraySerializer());
            opened.push(producer);
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config.kafka().clientConfig(Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                    ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1,
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500,
                    ConsumerConfig.CLIENT_ID_CONFIG, "pushfabric-dispatcher-consumer-" + instance)),
                    new StringDeserializer(), new ByteArrayDeserializer());
            opened.push(consumer);
            new KafkaClientMetrics(consumer).bindTo(meters);
            new KafkaClientMetrics(producer).bindTo(meters);
            PresencePublishing presence = config.presence().enabled()
                    ? PresencePublishing.start(config.presence(), config.kafka(), config.topicSettings().requestPartitions(),
                            config.topicSettings().replication(), admin, redis, meters, clock, instance)
                    : null;
            if (presence != null) {
                opened.push(presence);
            }
            Optional<KafkaReceiptSink> receipts = KafkaReceiptSink.startIfEnabled(config.receipts(), topics, base,
                    config.topicSettings().requestPartitions(), config.topicSettings().replication(),
                    "pushfabric-dispatcher-receipts-" + instance, meters);
            receipts.ifPresent(opened::push);
            return start(config, meters, clock, admin, redis, producer, consumer, presence, new DispatchReceipts(
                    config.receipts().mode(), receipts.<ReceiptSink>map(r -> r).orElse(ReceiptSink.NONE), clock),
                    receipts.<AutoCloseable>map(r -> r).orElse(() -> { }));
        } catch (RuntimeException e) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static DispatcherApp start(DispatcherConfig config, MeterRegistry meters, Clock clock, Admin admin,
                                       RedisRegistries redis, KafkaProducer<String, byte[]> producer,
                                       KafkaConsumer<String, byte[]> consumer, PresencePublishing presence,
                                       DispatchReceipts receipts, AutoCloseable receiptWriter) {
        DispatchMetrics metrics = new DispatchMetrics(meters, clock);
        RouteResolver resolver = new RouteResolver(redis.routes(), redis.channels(), redis.nodes(), config.cache(), clock);
        BatchDispatcher dispatcher = new BatchDispatcher(new PushRequestCodec(config.maxPayloadBytes()), resolver,
                redis.dedupe(), config.dedupeWindow(), redis.nodes(), metrics, clock, ACK_PATIENCE,
                config.stallLimit(), receipts);
        PushRequestLoop loop = new PushRequestLoop(consumer, config.kafka().topics(), dispatcher,
                PushRequestLoop.sinks(producer, admin, config.kafka().topics(), MAX_REQUEST_BYTES, NODE_TOPICS_TTL),
                resolver, metrics, clock, config.maxRetryBackoff(), config.stallLimit(),
                presence == null ? AssignmentListener.NONE : presence.assignment(), config.minCycle());
        Thread thread = new Thread(loop, "pf-dispatch-loop");
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Dispatch loop died", e));
        thread.start();
        NodeJanitor janitor = new NodeJanitor(redis.nodes(), redis.routes(), redis.channels(), redis.channelMembers(),
                redis.lock(),
                node -> deleteTopic(admin, config.kafka().topics().nodeTopic(node)), config.janitor().grace(), clock);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pf-janitor");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("Janitor thread died", e));
            return t;
        });
        long every = config.janitor().interval().toMillis();
        scheduler.scheduleWithFixedDelay(janitor, every, every, TimeUnit.MILLISECONDS);
        return new DispatcherApp(redis, producer, loop, thread, metrics, admin, scheduler, config.stallLimit(), presence,
                receiptWriter);
    }

    private static void deleteTopic(Admin admin, String topic) {
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                throw new IllegalStateException("cannot delete " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not delete " + topic + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once this instance has taken part in a group assignment. */
    public boolean isAssigned() {
        return loop.isAssigned();
    }

    /** Ready for traffic: the loop runs, the group has assigned it, it is not stuck retrying, and Redis answers. */
    public boolean isReady() {
        if (!isRunning() || !isAssigned()) {
            return false;
        }
        if (loop.isStalled()) {
            LOG.warn("Not ready: one batch has kept failing for longer than {}", stallLimit);
            return false;
        }
        try {
            redis.nodes().liveNodes();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Not ready: Redis does not answer: {}", e.toString());
            return false;
        }
    }

    /** The registries this dispatcher reads; the HTTP API's presence query shares them. Closed with the dispatcher. */
    public RedisRegistries registries() {
        return redis;
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Blocks until the dispatch loop has ended, normally (close) or not. */
    public void awaitLoopEnd() throws InterruptedException {
        thread.join();
    }

    public DispatchMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        loop.stop();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (presence != null) {
            presence.close(); // after the loop: its last revoke waits for presence events in flight
        }
        try {
            receiptWriter.close(); // after the loop: the receipts of its last batch are queued
        } catch (Exception e) {
            LOG.warn("Closing the receipt writer failed: {}", e.toString());
        }
        // Every committed batch is acknowledged already; what may still be in flight goes to fenced nodes or
        // belongs to a batch that was not committed, which the partition's next owner sends again.
        producer.close(PRODUCER_CLOSE_TIMEOUT);
        admin.close();
        redis.close();
        LOG.info("Dispatcher stopped");
    }
}
