package io.pushfabric.dispatcher.api;

import io.pushfabric.client.PushPublisher;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.config.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The API's own producer, through the {@code client} module's {@link PushPublisher} (key = routing key, so
 * Kafka's murmur2 partitioner puts the request where every other producer would): idempotent, {@code acks=all},
 * and every wait (metadata, delivery) bounded by the API's publish timeout, so a Kafka that cannot take a
 * request turns into a 503 within that time rather than a hanging HTTP call.
 */
final class KafkaRequestPublisher implements RequestPublisher, AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** Room for the record's envelope (target, ids, times) around the largest payload the codec accepts. */
    private static final int ENVELOPE_BYTES = 64 * 1024;

    private final KafkaProducer<String, byte[]> producer;
    private final PushPublisher publisher;

    KafkaRequestPublisher(KafkaSettings kafka, PushRequestCodec codec, Duration timeout, String clientId, Clock clock) {
        int millis = (int) timeout.toMillis();
        this.producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, millis,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, millis / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, codec.maxPayloadBytes() + ENVELOPE_BYTES,
                ProducerConfig.CLIENT_ID_CONFIG, clientId)),
                new StringSerializer(), new ByteArraySerializer());
        this.publisher = new PushPublisher(producer, kafka.topics().requests(), codec, clock);
    }

    @Override
    public CompletableFuture<MessagePosition> publish(PushRequest request) {
        CompletableFuture<MessagePosition> sent;
        try {
            sent = publisher.publish(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(e));
        }
        return sent.handle((position, error) -> {
            if (error != null) {
                throw failure(error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
            }
            return position;
        });
    }

    private static PublishFailedException failure(Throwable error) {
        return new PublishFailedException(error instanceof RecordTooLargeException,
                "Kafka did not take the request: " + error.getMessage(), error);
    }

    /** Kafka's own metrics for this producer, for whoever binds them. */
    KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
