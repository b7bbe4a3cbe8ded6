package io.pushfabric.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.DeliveryCodec;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.Topics;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeLeases;
import io.pushfabric.registry.RedisRegistries;
import io.pushfabric.registry.RedisSettings;
import io.pushfabric.registry.SessionRoute;
import io.pushfabric.testkit.TestInfra;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node that cannot take deliveries, on real Kafka and Redis: the dispatcher fences that node (evicts its lease,
 * so its sessions resume with their cursors) and keeps delivering to every other node. Alice's sessions are on
 * node A, Bob's on node B; one partition, so a stall for Bob would hold Alice's messages back too. And what a
 * node gets when all is well: a polled batch's deliveries in a few records, in order.
 */
class NodeFailureTest {
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");
    private static final Duration LEASE = Duration.ofMinutes(2);

    private final PushRequestCodec codec = new PushRequestCodec();
    private Topics topics;
    private String prefix;
    private String group;
    private Admin admin;
    private RedisRegistries redis;
    private NodeLeases leases;
    private KafkaProducer<String, byte[]> producer;
    private DispatcherApp dispatcher;

    @BeforeEach
    void start() throws Exception {
        String base = TestInfra.uniqueName("fence");
        prefix = TestInfra.uniqueName("fence") + ":";
        group = TestInfra.uniqueName("fence");
        topics = Topics.withBase(base);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap()));
        admin.createTopics(List.of(new NewTopic(base, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        redis = RedisRegistries.connect(new RedisSettings(TestInfra.redisUri(), prefix));
        leases = new NodeLeases(redis.nodes());
        for (NodeId node : List.of(A, B)) {
            leases.beat(new NodeInfo(node, node.value() + ":8080", 1L, 1, 1L), LEASE);
        }
        redis.routes().register(new SessionRoute(ALICE, "s-alice", A));
        redis.routes().register(new SessionRoute(BOB, "s-bob", B));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        dispatcher = startDispatcher();
    }

    private DispatcherApp startDispatcher() {
        return DispatcherApp.start(DispatcherConfig.fromEnv(Map.of(
                "PUSH_KAFKA_BOOTSTRAP", TestInfra.kafkaBootstrap(),
                "PUSH_TOPIC_REQUESTS", topics.requests(),
                "PUSH_TOPIC_NODE_PREFIX", topics.nodePrefix(),
                "PUSH_REDIS", TestInfra.redisUri(),
                "PUSH_REDIS_PREFIX", prefix,
                "PUSH_DISPATCHER_GROUP", group,
                "PUSH_REQUESTS_PARTITIONS", "1",
                "PUSH_TOPIC_REPLICATION", "1",
                "PUSH_LIVE_NODES_TTL_MS", "100",
                "PUSH_DISPATCH_STALL_LIMIT_MS", "1000")), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        producer.close();
        redis.close();
        admin.close();
    }

    private void createNodeTopic(NodeId node, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(topics.nodeTopic(node), 1, (short) 1).configs(configs)))
                .all().get(30, TimeUnit.SECONDS);
    }

    private void publish(UserId user, String text) throws Exception {
        PushRequest request = PushRequest.toUser(user, JsonNodeFactory.instance.textNode(text));
        producer.send(new ProducerRecord<>(topics.requests(), RoutingKeys.of(request), codec.encode(request)))
                .get(10, TimeUnit.SECONDS);
    }

    /** The messages that reached a node's topic, in order. */
    private List<String> deliveredTo(NodeId node, int atLeast) {
        return recordsAt(node, atLeast).stream().flatMap(List::stream).toList();
    }

    /** The messages of each record of a node's topic, record by record, once at least {@code atLeast} arrived. */
    private List<List<String>> recordsAt(NodeId node, int atLeast) {
        List<List<String>> records = new ArrayList<>();
        DeliveryCodec deliveries = new DeliveryCodec();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topics.nodeTopic(node), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(deliveries.decodeRecord(r.value(), unreadable -> { }).stream()
                            .map(d -> d.request().payload().tree().asText()).toList());
                }
                return records.stream().mapToInt(List::size).sum() >= atLeast;
            });
        }
        return records;
    }

    private static List<String> numbered(String prefix, int from, int to) {
        List<String> texts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            texts.add(prefix + i);
        }
        return texts;
    }

    @Test
    void aPolledBatchForOneNodeTravelsAsOneRecordInPublishOrder() throws Exception {
        createNodeTopic(A, Map.of());
        dispatcher.close();
        dispatcher = null;
        redis.routes().register(new SessionRoute(BOB, "s-bob-on-a", A));
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UserId user = i % 2 == 0 ? ALICE : BOB;
            published.add(user.value() + i);
            PushRequest request = PushRequest.toUser(user, JsonNodeFactory.instance.textNode(user.value() + i));
            producer.send(new ProducerRecord<>(topics.requests(), RoutingKeys.of(request), codec.encode(request)));
        }
        producer.flush();

        dispatcher = startDispatcher(); // its first poll finds all 300 waiting

        List<List<String>> records = recordsAt(A, 300);
        assertThat(records).as("300 deliveries in a handful of records, not 300").hasSizeLessThanOrEqualTo(3);
        assertThat(records.stream().flatMap(List::stream)).containsExactlyElementsOf(published);
    }

    @Test
    void nodeTopicDeletedUnderLoadFencesThatNodeAndOthersKeepReceiving() throws Exception {
        createNodeTopic(A, Map.of());
        createNodeTopic(B, Map.of());
        for (int i = 0; i < 10; i++) {
            publish(ALICE, "a" + i);
            publish(BOB, "b" + i);
        }
        assertThat(deliveredTo(B, 10)).containsExactlyElementsOf(numbered("b", 0, 10));

        admin.deleteTopics(List.of(topics.nodeTopic(B))).all().get(30, TimeUnit.SECONDS);
        for (int i = 10; i < 20; i++) {
            publish(ALICE, "a" + i);
            publish(BOB, "b" + i);
        }

        assertThat(deliveredTo(A, 20)).containsExactlyElementsOf(numbered("a", 0, 20));
        await().atMost(Duration.ofSeconds(10)).until(() -> !redis.nodes().liveNodes().contains(B));
        assertThat(redis.nodes().liveNodes()).containsExactly(A);
        assertThat(leases.beat(new NodeInfo(B, "b:8080", 1L, 1, 2L), LEASE))
                .as("node B learns at its next heartbeat that it was fenced, and its sessions resume").isFalse();
    }

    @Test
    void recordLargerThanTheNodeTopicAcceptsFencesThatNodeAndOthersKeepReceiving() throws Exception {
        createNodeTopic(A, Map.of());
        createNodeTopic(B, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048"));
        publish(BOB, "small");
        publish(BOB, "x".repeat(4096));
        for (int i = 0; i < 10; i++) {
            publish(ALICE, "a" + i);
        }

        assertThat(deliveredTo(A, 10)).containsExactlyElementsOf(numbered("a", 0, 10));
        await().atMost(Duration.ofSeconds(10)).until(() -> !redis.nodes().liveNodes().contains(B));
        assertThat(deliveredTo(B, 1)).as("nothing after the gap reached B").containsExactly("small");
        assertThat(dispatcher.metrics().count("dead_lettered")).isZero();
    }

    @Test
    void batchThatKeepsFailingMakesTheDispatcherNotReadyUntilItGoesThrough() throws Exception {
        createNodeTopic(A, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(dispatcher::isReady);
        admin.deleteTopics(List.of(topics.deadLetter())).all().get(30, TimeUnit.SECONDS);
        producer.send(new ProducerRecord<>(topics.requests(), ALICE.value(), "not json".getBytes())).get();
        publish(ALICE, "after the poison");

        await().atMost(Duration.ofSeconds(30)).until(() -> !dispatcher.isReady());
        assertThat(deliveredTo(A, 0)).as("nothing after the stuck record went out").isEmpty();

        admin.createTopics(List.of(new NewTopic(topics.deadLetter(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        assertThat(deliveredTo(A, 1)).containsExactly("after the poison");
        await().atMost(Duration.ofSeconds(20)).until(dispatcher::isReady);
    }
}
