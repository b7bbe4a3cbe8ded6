package io.pushfabric.dispatcher.presence;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.pushfabric.client.KeyPartitions;
import io.pushfabric.client.TopicAdmin;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.config.KafkaSettings;
import io.pushfabric.contracts.config.PresenceSettings;
import io.pushfabric.dispatcher.loop.AssignmentListener;
import io.pushfabric.registry.RedisRegistries;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatcher's presence side, wired: the presence topic (created compacted when missing), its own producer,
 * and the {@link PresenceWorker} on a thread of its own every {@value #TICK_MILLIS} ms. The dispatch loop tells it
 * which partitions it owns ({@link #assignment()}).
 */
public final class PresencePublishing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PresencePublishing.class);
    static final long TICK_MILLIS = 200;
    /** How often lost nodes are looked for. */
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    /** Checks per partition per pass; more wait for the next pass. */
    private static final int BATCH_LIMIT = 500;

    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService scheduler;
    private final PresenceWorker worker;
    private final PresenceMetrics metrics;

    private PresencePublishing(KafkaProducer<String, byte[]> producer, ScheduledExecutorService scheduler,
                               PresenceWorker worker, PresenceMetrics metrics) {
        this.producer = producer;
        this.scheduler = scheduler;
        this.worker = worker;
        this.metrics = metrics;
    }

    /**
     * @param partitions  of the presence topic, when it must be created
     * @param replication of the presence topic, when it must be created (0 = min(3, brokers))
     */
    public static PresencePublishing start(PresenceSettings settings, KafkaSettings kafka, int partitions,
                                           int replication, Admin admin, RedisRegistries redis, MeterRegistry meters,
                                           Clock clock, String instance) {
        TopicAdmin topics = new TopicAdmin(admin);
        topics.ensure(settings.topic(), partitions, replication, Map.of("cleanup.policy", "compact"));
        int requestPartitions = topics.describe(kafka.topics().requests()).partitions().size();
        ToIntFunction<UserId> partitionOf = user -> KeyPartitions.of(user.value(), requestPartitions);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // send() must not hold the presence thread long when Kafka is away; the event is dropped instead
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.CLIENT_ID_CONFIG, "pushfabric-dispatcher-presence-" + instance)),
                new StringSerializer(), new ByteArraySerializer());
        new KafkaClientMetrics(producer).bindTo(meters);
        PresenceMetrics metrics = new PresenceMetrics(meters);
        KafkaPresenceSink sink = new KafkaPresenceSink(producer, settings.topic(), settings.maxInFlight(), metrics);
        PresenceWorker worker = new PresenceWorker(
                new PresenceTracker(redis.presence(), redis.routes(), redis.nodes(), sink, BATCH_LIMIT),
                new PresenceNodeWatch(redis.nodes(), redis.routes(), redis.presence(), partitionOf, settings.grace()),
                sink, metrics, clock, WATCH_INTERVAL);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pf-presence");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("Presence thread died", e));
            return t;
        });
        scheduler.scheduleWithFixedDelay(worker, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("Publishing presence to {} (grace {} ms)", settings.topic(), settings.grace().toMillis());
        return new PresencePublishing(producer, scheduler, worker, metrics);
    }

    /** Give this to the dispatch loop, so presence follows the partitions it owns. */
    public AssignmentListener assignment() {
        return worker;
    }

    public PresenceMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
