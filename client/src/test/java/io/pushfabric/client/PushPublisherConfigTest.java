package io.pushfabric.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The publisher's producer is durable and batches; a caller's properties win. */
class PushPublisherConfigTest {
    @Test
    void durableAndLingersFiveMillisecondsByDefault() {
        Map<String, Object> config = PushPublisher.producerConfig("kafka:9092", Map.of());
        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
    }

    @Test
    void theCallersPropertiesOverrideTheDefaults() {
        Map<String, Object> config = PushPublisher.producerConfig("kafka:9092",
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.CLIENT_ID_CONFIG, "billing"));
        assertThat(config).containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "billing")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    }
}
