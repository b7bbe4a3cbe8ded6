package io.pushfabric.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;

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

    /**
     * The controller of a single node appends a no-op record to the metadata log every 500 ms by default, which its
     * own broker then reads and applies: about a third of an idle node's CPU outside client requests.
     */
    @Test
    void singleNodeWritesAMetadataNoOpEveryFiveSecondsNotTwiceASecond() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.singleNode();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "0");
            Config config = admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node);

            assertThat(config.get("metadata.max.idle.interval.ms").value()).isEqualTo("5000");
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
