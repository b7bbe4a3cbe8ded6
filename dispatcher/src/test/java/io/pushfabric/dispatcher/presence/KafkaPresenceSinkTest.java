package io.pushfabric.dispatcher.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.PresenceEvent;
import io.pushfabric.contracts.PresenceEvent.State;
import io.pushfabric.contracts.UserId;
import io.pushfabric.testkit.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The presence sink on real Kafka: keyed events in order, and drops that are counted, never waited for. */
class KafkaPresenceSinkTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PresenceMetrics metrics = new PresenceMetrics(meters);
    private Admin admin;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void start() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap()));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Generous: a broker that has just created the topic on a busy machine may take seconds to lead it.
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        producer.close(Duration.ofSeconds(1));
        admin.close();
    }

    /**
     * A topic whose partitions already take writes, as {@code push-presence} does long before a dispatcher
     * publishes to it. Sending the moment it is created races its leader: the idempotent producer's first batch
     * can get NOT_LEADER_OR_FOLLOWER while the batches after it are written, and its retry is then refused as
     * OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout (seen: 4 of 20 events dropped after 60 s).
     */
    private String topic() throws Exception {
        String name = TestInfra.uniqueName("presence-sink");
        admin.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, byte[]> warmUp = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < 3; partition++) {
                warmUp.send(new ProducerRecord<>(name, partition, "warm-up", new byte[0])).get(60, TimeUnit.SECONDS);
            }
        }
        return name;
    }

    private static PresenceEvent event(String user, State state, long version) {
        return new PresenceEvent(UserId.of(user), state, state == State.ONLINE ? 1 : 0, version, version);
    }

    @Test
    void everyEventIsAcknowledgedByKafkaAndCountedOnce() throws Exception {
        String topic = topic();
        KafkaPresenceSink sink = new KafkaPresenceSink(producer, topic, 100, metrics);
        for (int v = 1; v <= 20; v++) {
            sink.publish(event("alice", v % 2 == 1 ? State.ONLINE : State.OFFLINE, v));
        }
        assertThat(sink.awaitSent(Duration.ofSeconds(90))).isTrue();
        assertThat(metrics.count("dropped", "kafka")).as("events Kafka refused").isZero();

        // Reading the topic back is PresenceEventsTest's job (e2e, through a consumer thread of its own): here a
        // consumer polled from Awaitility's thread hung on fresh clones in 2 of 3 CI runs, so this test checks the
        // sink's side of the contract: every event acknowledged by Kafka, none dropped, each counted once.
        assertThat(metrics.count("events", "online")).isEqualTo(10);
        assertThat(metrics.count("events", "offline")).isEqualTo(10);
    }

    @Test
    void eventsKafkaCannotTakeAndEventsBeyondTheInFlightBoundAreDroppedAndCounted() throws Exception {
        // A topic that does not exist (the test broker creates none on its own): each send waits for its
        // metadata for max.block.ms, then fails; meanwhile the one permit is taken.
        try (KafkaProducer<String, byte[]> blocked = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap(), ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000),
                new StringSerializer(), new ByteArraySerializer())) {
            KafkaPresenceSink sink = new KafkaPresenceSink(blocked, TestInfra.uniqueName("missing"), 1, metrics);
            Thread first = new Thread(() -> sink.publish(event("alice", State.ONLINE, 1)), "first-publish");
            first.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !sink.awaitSent(Duration.ZERO));

            sink.publish(event("bob", State.ONLINE, 1));

            assertThat(metrics.count("dropped", "full")).isEqualTo(1);
            first.join(30_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics.count("dropped", "kafka") == 1);
            assertThat(sink.awaitSent(Duration.ofSeconds(5))).isTrue();
            assertThat(metrics.count("events", "online")).isZero();
        }
    }
}
