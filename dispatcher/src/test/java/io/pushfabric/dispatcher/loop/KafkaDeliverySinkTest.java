package io.pushfabric.dispatcher.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.Topics;
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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the Kafka sink sorts Kafka's failures, against real topic metadata. */
class KafkaDeliverySinkTest {
    private static final NodeId PRESENT = NodeId.of("present");
    private static final NodeId ABSENT = NodeId.of("absent");
    private static final NodeId SMALL = NodeId.of("small");

    private Admin admin;
    private KafkaProducer<String, byte[]> producer;
    private KafkaDeliverySink sink;

    @BeforeEach
    void start() throws Exception {
        Topics topics = Topics.withBase(TestInfra.uniqueName("sink"));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap()));
        admin.createTopics(List.of(new NewTopic(topics.nodeTopic(PRESENT), 1, (short) 1),
                        new NewTopic(topics.nodeTopic(SMALL), 1, (short) 1)
                                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "4000"))))
                .all().get(30, TimeUnit.SECONDS);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap()),
                new StringSerializer(), new ByteArraySerializer());
        sink = new KafkaDeliverySink(producer, topics, new DeadLetters(topics.deadLetter()),
                new NodeTopics(admin, topics, Duration.ofSeconds(30)), 10_000, Map.of());
    }

    @AfterEach
    void stop() {
        producer.close();
        admin.close();
    }

    @Test
    void refusalsOfTheNodeTopicFenceTheNode() {
        assertThat(sink.classify(PRESENT, new TopicAuthorizationException("no ACL"))).isEqualTo(FailureScope.NODE);
        assertThat(sink.classify(PRESENT, new InvalidTopicException("bad name"))).isEqualTo(FailureScope.NODE);
        assertThat(sink.classify(PRESENT, new RecordTooLargeException("over max.message.bytes")))
                .isEqualTo(FailureScope.NODE);
    }

    @Test
    void retriableFailuresAreTransientUnlessTheTopicIsGone() {
        assertThat(sink.classify(PRESENT, new NotEnoughReplicasException("isr"))).isEqualTo(FailureScope.TRANSIENT);
        assertThat(sink.classify(PRESENT, new UnknownTopicOrPartitionException("metadata lag")))
                .isEqualTo(FailureScope.TRANSIENT);
        assertThat(sink.classify(ABSENT, new UnknownTopicOrPartitionException("deleted")))
                .isEqualTo(FailureScope.NODE);
    }

    @Test
    void failuresNotAboutOneTopicAreTransient() {
        assertThat(sink.classify(PRESENT, new ClusterAuthorizationException("idempotent write")))
                .as("a producer-wide refusal must not fence every node").isEqualTo(FailureScope.TRANSIENT);
        assertThat(sink.classify(null, new RecordTooLargeException("dead letter"))).isEqualTo(FailureScope.TRANSIENT);
    }

    @Test
    void sendsThatCannotSucceedAreRefusedBeforeTheyLeave() {
        assertThat(sink.deliver(ABSENT, new byte[10])).isCompletedExceptionally();
        assertThat(sink.deliver(PRESENT, new byte[20_000]))
                .failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(UndeliverableException.class,
                        e -> assertThat(e.scope()).isEqualTo(FailureScope.RECORD));
        assertThat(sink.deliver(PRESENT, new byte[10])).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void recordsArePackedBelowTheSmallerOfTheTopicsAndTheProducersLimit() {
        assertThat(sink.maxRecordBytes(PRESENT)).isEqualTo(10_000 - KafkaDeliverySink.RECORD_OVERHEAD_BYTES);
        assertThat(sink.maxRecordBytes(SMALL)).isEqualTo(4_000 - KafkaDeliverySink.RECORD_OVERHEAD_BYTES);
        assertThat(sink.deliver(SMALL, new byte[(int) sink.maxRecordBytes(SMALL)]))
                .succeedsWithin(Duration.ofSeconds(10));
    }
}
