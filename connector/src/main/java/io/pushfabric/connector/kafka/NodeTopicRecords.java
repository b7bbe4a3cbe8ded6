package io.pushfabric.connector.kafka;

import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.DeliveryCodec;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits one node-topic record into its deliveries, in order: a batch of a dispatcher that packs a polled batch
 * per node, or the single delivery of one that does not (both run side by side during a rolling upgrade). What
 * cannot be read is skipped with a warning: the whole record when it is unreadable, else only the delivery.
 */
final class NodeTopicRecords {
    private static final Logger LOG = LoggerFactory.getLogger(NodeTopicRecords.class);

    private final DeliveryCodec codec = new DeliveryCodec();

    List<Delivery> split(ConsumerRecord<String, byte[]> record) {
        try {
            return codec.decodeRecord(record.value(), unreadable -> LOG.warn("Skipping unreadable delivery at {}-{}: {}",
                    record.partition(), record.offset(), unreadable));
        } catch (RuntimeException e) {
            LOG.warn("Skipping unreadable delivery at {}-{}: {}", record.partition(), record.offset(), e.getMessage());
            return List.of();
        }
    }
}
