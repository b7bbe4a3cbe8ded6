package io.pushfabric.dispatcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.kafka.TopicAdmin;
import io.pushfabric.dispatcher.loop.DispatchMetrics;
import io.pushfabric.dispatcher.loop.PushRequestLoop;
import io.pushfabric.dispatcher.routing.RouteResolver;
import io.pushfabric.registry.RedisRegistries;
import java.time.Clock;
import java.util.Map;
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

    private final RedisRegistries redis;
    private final KafkaProducer<String, byte[]> producer;
    private final PushRequestLoop loop;
    private final Thread thread;
    private final DispatchMetrics metrics;

    private DispatcherApp(RedisRegistries redis, KafkaProducer<String, byte[]> producer, PushRequestLoop loop,
                          Thread thread, DispatchMetrics metrics) {
        this.redis = redis;
        this.producer = producer;
        this.loop = loop;
        this.thread = thread;
        this.metrics = metrics;
    }

    public static DispatcherApp start(DispatcherConfig config, MeterRegistry meters, Clock clock) {
        LOG.info("Starting dispatcher: {}", config.describe());
        Map<String, Object> base = config.kafka().clientConfig(Map.of());
        try (Admin admin = Admin.create(base)) {
            TopicAdmin topics = new TopicAdmin(admin);
            topics.ensure(config.kafka().topics().requests(), config.topicSettings().requestPartitions(),
                    config.topicSettings().replication(), Map.of());
            topics.ensure(config.kafka().topics().deadLetter(), 1, config.topicSettings().replication(), Map.of());
        }
        RedisRegistries redis = RedisRegistries.connect(config.redis());
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafka().clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.CLIENT_ID_CONFIG, "pushfabric-dispatcher")),
                new StringSerializer(), new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config.kafka().clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.CLIENT_ID_CONFIG, "pushfabric-dispatcher")),
                new StringDeserializer(), new ByteArrayDeserializer());
        DispatchMetrics metrics = new DispatchMetrics(meters);
        RouteResolver resolver = new RouteResolver(redis.routes(), redis.nodes(), config.cache(), clock);
        PushRequestLoop loop = new PushRequestLoop(consumer, producer, config.kafka().topics(),
                new PushRequestCodec(config.maxPayloadBytes()), resolver, redis.dedupe(), config.dedupeWindow(),
                metrics, clock, config.maxRetryBackoff());
        Thread thread = new Thread(loop, "pf-dispatch-loop");
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Dispatch loop died", e));
        thread.start();
        return new DispatcherApp(redis, producer, loop, thread, metrics);
    }

    /** True once this instance has taken part in a group assignment. */
    public boolean isAssigned() {
        return loop.isAssigned();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    public DispatchMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        redis.close();
        LOG.info("Dispatcher stopped");
    }
}
