package io.pushfabric.client;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Java way to publish push requests. It keys every record by its routing key (so one user's
 * messages stay in one partition, in publish order), stamps {@code createdAt} when the caller did not,
 * and uses an idempotent producer with {@code acks=all}, so an acknowledged publish is durable and a
 * retried one is not written twice.
 *
 * <pre>{@code
 * try (PushPublisher publisher = PushPublisher.create("kafka:9092", "push-requests")) {
 *     MessagePosition id = publisher.publish(PushRequest.toUser(UserId.of("alice"), payload)).join();
 *     publisher.publish(PushRequest.toChannel(ChannelName.of("chat:lobby"), payload)); // every subscriber
 * }
 * }</pre>
 */
public final class PushPublisher implements AutoCloseable {
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final PushRequestCodec codec;
    private final Clock clock;

    public PushPublisher(Producer<String, byte[]> producer, String topic, PushRequestCodec codec, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.codec = codec;
        this.clock = clock;
    }

    /** A publisher with its own producer; extra Kafka client properties override the defaults. */
    public static PushPublisher create(String bootstrapServers, String topic, Map<String, Object> kafkaOverrides) {
        return new PushPublisher(new KafkaProducer<>(producerConfig(bootstrapServers, kafkaOverrides),
                new StringSerializer(), new ByteArraySerializer()), topic, new PushRequestCodec(), Clock.systemUTC());
    }

    /**
     * The producer's settings: durable ({@code acks=all}, idempotent) and batching. The broker's CPU is per
     * produce request and per partition batch, so {@code linger.ms} 5 (Kafka's own default since 4.0) rather
     * than 2: at 10,000 msg/s a producer then sent 55 records per request instead of 23, and the broker's CPU
     * per message fell by 11-22 % (docs/benchmarks.md, the sixth pass of issue 14).
     */
    static Map<String, Object> producerConfig(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "pushfabric-publisher");
        props.putAll(overrides);
        return props;
    }

    public static PushPublisher create(String bootstrapServers, String topic) {
        return create(bootstrapServers, topic, Map.of());
    }

    /** Publishes one request; completes with its message id once Kafka has it on all in-sync replicas. */
    public CompletableFuture<MessagePosition> publish(PushRequest request) {
        PushRequest stamped = request.createdAt() == null ? request.withCreatedAt(clock.millis()) : request;
        CompletableFuture<MessagePosition> result = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, RoutingKeys.of(stamped), codec.encode(stamped)), (meta, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(new MessagePosition(meta.partition(), meta.offset()));
            }
        });
        return result;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
