package io.pushfabric.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.connector.session.ReplaySource;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.InMemoryDedupeWindow;
import io.pushfabric.testkit.TestInfra;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The reader on real Kafka, for the one outcome a client cannot provoke from outside: Kafka failing the
 * read ({@code replay_failed}). Here the topic is missing, so the first call to Kafka fails.
 */
class KafkaReplayReaderTest {

    @Test
    void readThatKafkaFailsEndsTheReplayAsReplayFailed() throws Exception {
        String missingTopic = TestInfra.uniqueName("never-created");
        ReplaySettings settings = new ReplaySettings(100, 1_000, 1, Duration.ofSeconds(10), 65_536);
        try (KafkaReplayReader reader = new KafkaReplayReader(() -> new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1_000,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer()), missingTopic, new PushRequestCodec(65_536), new InMemoryDedupeWindow(
                Clock.systemUTC()), settings, Clock.systemUTC())) {

            ReplaySource.Result result = reader.replay(UserId.of("alice"), Map.of(0, new ReplaySource.Range(0, 10)))
                    .get(30, TimeUnit.SECONDS);

            assertThat(result).isEqualTo(new ReplaySource.Result.Incomplete("replay_failed"));
        }
    }
}
