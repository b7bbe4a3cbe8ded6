package io.pushfabric.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaClusterTest {

    private static final String TOPIC = "replicated-topic";

    @Test
    void acksAllProduceSurvivesOneStoppedBrokerAndTheBrokerRejoins() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.cluster(3)) {
            assertThat(kafka.brokerCount()).isEqualTo(3);
            assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
            KafkaRoundTrip client = new KafkaRoundTrip(kafka.bootstrapServers());
            client.createTopic(TOPIC, 1, (short) 3, Map.of("min.insync.replicas", "2"));
            client.produce(TOPIC, "k", "all-up");
            int leader = partition(kafka).leader().id();

            kafka.stopBroker(leader);
            RecordMetadata written = client.produce(TOPIC, "k", "one-down");

            assertThat(written.offset()).isEqualTo(1);
            assertThat(partition(kafka).isr()).hasSize(2);

            kafka.startBroker(leader);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(partition(kafka).isr()).hasSize(3));
            client.produce(TOPIC, "k", "all-up-again");
            assertThat(client.consumeValues(TOPIC, 3)).containsExactly("all-up", "one-down", "all-up-again");
        }
    }

    private static TopicPartitionInfo partition(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(TOPIC);
            return description.partitions().get(0);
        }
    }
}
