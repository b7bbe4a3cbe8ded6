package io.pushfabric.dispatcher.presence;

import io.pushfabric.contracts.PresenceEvent;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes presence events to the presence topic, keyed by user id, through a producer of its own (so presence
 * never takes buffer space or sends from deliveries). At most {@code maxInFlight} events wait for Kafka's
 * acknowledgement; one more is dropped at once and counted ({@code reason=full}), as is one Kafka refuses or
 * does not acknowledge within the producer's delivery timeout ({@code reason=kafka}). The producer is idempotent,
 * so the events of one user keep their order in the topic.
 */
public final class KafkaPresenceSink implements PresenceSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPresenceSink.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final int maxInFlight;
    private final Semaphore permits;
    private final PresenceMetrics metrics;

    public KafkaPresenceSink(Producer<String, byte[]> producer, String topic, int maxInFlight, PresenceMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.metrics = metrics;
    }

    @Override
    public void publish(PresenceEvent event) {
        if (!permits.tryAcquire()) {
            metrics.droppedFull();
            LOG.debug("Dropped presence event {} {} v{}: {} unacknowledged", event.user(), event.state(),
                    event.version(), maxInFlight);
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, event.key(), event.encode()), (meta, error) -> {
                if (error == null) {
                    metrics.published(event.state());
                } else {
                    metrics.droppedKafka();
                    LOG.debug("Dropped presence event {} {} v{}: {}", event.user(), event.state(), event.version(),
                            error.toString());
                }
                permits.release(); // last: whoever awaitSent() lets through sees the event counted
            });
        } catch (KafkaException e) {
            permits.release();
            metrics.droppedKafka();
            LOG.debug("Dropped presence event {} {} v{}: {}", event.user(), event.state(), event.version(), e.toString());
        }
    }

    /**
     * Waits until every event sent so far is acknowledged or dropped, at most {@code timeout}: before this
     * dispatcher's partitions move, so the next owner's events of a user come after this one's.
     *
     * @return true when nothing is in flight any more
     */
    public boolean awaitSent(Duration timeout) {
        try {
            if (permits.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                permits.release(maxInFlight);
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
