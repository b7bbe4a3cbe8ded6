package io.pushfabric.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaTest {

    @Test
    void singleNodeRoundTripsARecordThroughAConsumerGroup() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.singleNode()) {
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            KafkaRoundTrip client = new KafkaRoundTrip(kafka.bootstrapServers());
            client.createTopic("single-node-topic", 2, (short) 1, Map.of());

            client.produce("single-node-topic", "user-1", "hello");

            assertThat(client.consumeValues("single-node-topic", 1)).containsExactly("hello");
        }
    }

    @Test
    void singleNodeWithDataDirKeepsRecordsAcrossRestart(@TempDir Path dataDir) throws Exception {
        int port = FreePorts.pick();
        try (EmbeddedKafka kafka = EmbeddedKafka.singleNode(port, dataDir)) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            KafkaRoundTrip client = new KafkaRoundTrip(kafka.bootstrapServers());
            client.createTopic("durable-topic", 1, (short) 1, Map.of());
            client.produce("durable-topic", "k", "before-restart");
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.singleNode(port, dataDir)) {
            KafkaRoundTrip client = new KafkaRoundTrip(kafka.bootstrapServers());
            client.produce("durable-topic", "k", "after-restart");

            assertThat(client.consumeValues("durable-topic", 2)).containsExactly("before-restart", "after-restart");
        }
    }
}
