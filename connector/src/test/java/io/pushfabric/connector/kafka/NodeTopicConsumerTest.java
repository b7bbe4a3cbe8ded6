package io.pushfabric.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.connector.session.LocalChannels;
import io.pushfabric.connector.session.LocalSessions;
import io.pushfabric.connector.session.SessionMetrics;
import io.pushfabric.connector.session.SessionReceipts;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.DeliveryCodec;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.receipts.Receipt;
import io.pushfabric.contracts.receipts.ReceiptMode;
import io.pushfabric.registry.InMemoryChannelMembers;
import io.pushfabric.registry.InMemoryChannelRegistry;
import io.pushfabric.client.TopicAdmin;
import io.pushfabric.testkit.TestInfra;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node-topic reader on a real broker, for what a janitor can do to its topic while the node is away. */
class NodeTopicConsumerTest {
    private static final NodeId NODE = NodeId.of("node-a");
    private static final UserId ALICE = UserId.of("alice");

    private final String bootstrap = TestInfra.kafkaBootstrap();
    private final String topic = TestInfra.uniqueName("node-topic");
    private final List<Long> handed = new CopyOnWriteArrayList<>();
    /** While set, the reader's thread waits here after its 10th delivery, as if the node were frozen. */
    private final AtomicReference<CountDownLatch> frozen = new AtomicReference<>();
    private Admin admin;
    private KafkaProducer<String, byte[]> producer;
    private NodeTopicConsumer reader;
    private Thread thread;

    @BeforeEach
    void startReaderOnANewTopic() throws Exception {
        admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap));
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new StringSerializer(),
                new ByteArraySerializer());
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        reader = reader();
        reader.seekToEnd();
        thread = new Thread(reader, "node-topic-reader");
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        CountDownLatch latch = frozen.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
        reader.stop();
        thread.join(10_000);
        producer.close();
        admin.close();
    }

    /**
     * The topic is deleted (a janitor, while the node's lease had lapsed) and created anew, and records reach it at
     * once: the reader must read the new topic from its first record. Kafka's consumer alone would not: it keeps its
     * position, and it only finds out when that position is past the new topic's end (here at once, while the new
     * topic is empty), which the reader answers by reading the new topic from its beginning. It fails (times out)
     * without that answer.
     */
    @Test
    void aNodeTopicDeletedAndCreatedAnewIsReadFromItsFirstRecord() throws Exception {
        write(0, 10);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handed.size() == 10);

        deleteAndCreateTheTopicAnew();
        write(100, 15);

        assertTheNewTopicsDeliveriesWereAllHandedOut();
    }

    /**
     * The node was frozen (its reader with it) while a janitor deleted its topic; it thaws and rejoins, creating the
     * topic anew, and its new sessions' deliveries fill the new topic. Kafka's consumer would read the new topic
     * from its old position, past them (before {@code restartAt}, this test lost 100-109 so). A join now has the
     * reader stand at the new topic's end before the node takes its lease, so no delivery can precede it.
     */
    @Test
    void aJoinHasTheReaderReadARecreatedTopicFromItsEndSoNoDeliveryToTheNewSessionsIsSkipped() throws Exception {
        frozen.set(new CountDownLatch(1)); // the reader stops inside the 10th delivery
        write(0, 10);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handed.size() == 10);

        deleteAndCreateTheTopicAnew();
        CompletableFuture<Void> joined = reader.restartAt(new TopicAdmin(admin).endOffset(topic)); // the join
        frozen.getAndSet(null).countDown(); // the node thaws
        joined.get(30, TimeUnit.SECONDS);
        write(100, 15); // the new sessions' deliveries, once the node has its lease

        assertTheNewTopicsDeliveriesWereAllHandedOut();
    }

    /**
     * A join on the same topic: what was written for the sessions the fence closed (10-14, not read yet when the
     * node froze) is skipped, and reading goes on from the end the join read.
     */
    @Test
    void aJoinOnTheSameTopicSkipsWhatTheFencedSessionsWereSent() throws Exception {
        frozen.set(new CountDownLatch(1));
        write(0, 10);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handed.size() == 10);
        write(10, 5);

        CompletableFuture<Void> joined = reader.restartAt(new TopicAdmin(admin).endOffset(topic));
        frozen.getAndSet(null).countDown();
        joined.get(30, TimeUnit.SECONDS);
        write(100, 15);

        assertTheNewTopicsDeliveriesWereAllHandedOut();
    }

    private void deleteAndCreateTheTopicAnew() throws Exception {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            return true;
        });
    }

    private void assertTheNewTopicsDeliveriesWereAllHandedOut() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handed.contains(114L));
        assertThat(handed.subList(10, handed.size())).as("the new topic's deliveries, in order")
                .containsExactly(100L, 101L, 102L, 103L, 104L, 105L, 106L, 107L, 108L, 109L, 110L, 111L, 112L, 113L,
                        114L);
    }

    /** Each delivery the reader hands out shows as its {@code delivered} receipt. */
    private void handedOut(Receipt receipt) {
        handed.add(receipt.position().offset());
        CountDownLatch latch = frozen.get();
        if (latch != null && handed.size() == 10) {
            try {
                latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private NodeTopicConsumer reader() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5_000,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        Clock clock = Clock.systemUTC();
        SessionReceipts receipts = new SessionReceipts(ReceiptMode.REQUESTED, this::handedOut, NODE, clock, 1);
        return new NodeTopicConsumer(consumer, topic, new LocalSessions(),
                new LocalChannels(new InMemoryChannelRegistry(), new InMemoryChannelMembers(), NODE, 10),
                new SessionMetrics(new SimpleMeterRegistry(), clock, () -> 0), NODE, clock, receipts);
    }

    /** {@code count} deliveries to alice with receipts on (their offsets from {@code first}), one record each. */
    private void write(long first, int count) throws Exception {
        DeliveryCodec codec = new DeliveryCodec();
        for (long offset = first; offset < first + count; offset++) {
            Delivery delivery = new Delivery(new MessagePosition(0, offset),
                    PushRequest.toUser(ALICE, IntNode.valueOf((int) offset)).withReceipt(true));
            producer.send(new ProducerRecord<>(topic, codec.encode(delivery))).get(30, TimeUnit.SECONDS);
        }
    }
}
