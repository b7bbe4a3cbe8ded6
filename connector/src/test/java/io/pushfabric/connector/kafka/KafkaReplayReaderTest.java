package io.pushfabric.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.client.KeyPartitions;
import io.pushfabric.connector.session.ReplaySource;
import io.pushfabric.contracts.ControlMarker;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RawJson;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.InMemoryDedupeWindow;
import io.pushfabric.testkit.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The reader on real Kafka: Kafka failing the read ({@code replay_failed}, which a client cannot provoke from
 * outside), and the replay window, which must answer exactly what a read of Kafka alone answers.
 */
class KafkaReplayReaderTest {
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final ReplaySettings SETTINGS = new ReplaySettings(1_000, 10_000, 1, Duration.ofSeconds(10),
            65_536, 32 * 1024 * 1024);

    private final PushRequestCodec codec = new PushRequestCodec(65_536);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private KafkaReplayReader reader(String topic, long windowBytes) {
        return reader(topic, windowBytes, meters);
    }

    private KafkaReplayReader reader(String topic, long windowBytes, SimpleMeterRegistry meters) {
        ReplayWindow window = new ReplayWindow(windowBytes, 1, 60_000);
        return new KafkaReplayReader(() -> new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1_000,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer()), topic, codec, new InMemoryDedupeWindow(Clock.systemUTC()),
                SETTINGS, window, new ReplayMetrics(meters, window), Clock.systemUTC());
    }

    @Test
    void readThatKafkaFailsEndsTheReplayAsReplayFailed() throws Exception {
        try (KafkaReplayReader reader = reader(TestInfra.uniqueName("never-created"), 0)) {

            ReplaySource.Result result = reader.replay(ALICE, Map.of(0, new ReplaySource.Range(0, 10)))
                    .get(30, TimeUnit.SECONDS);

            assertThat(result).isEqualTo(new ReplaySource.Result.Incomplete("replay_failed"));
        }
    }

    /**
     * A storm: clients resume one after another from about the same offsets while messages keep coming, and a quiet
     * user's cursor lies further back. The later replays read from Kafka only the records before or after what the
     * earlier ones read, and every replay gets exactly what a reader without a window gets: the user's messages and
     * the broadcasts in its range, no marker.
     */
    @Test
    void laterReplaysReadFromKafkaOnlyWhatTheEarlierOnesHadNotReadAndGetTheSameMessages() throws Exception {
        String topic = TestInfra.uniqueName("replay-window");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", TestInfra.kafkaBootstrap()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     TestInfra.kafkaBootstrap()), new StringSerializer(), new ByteArraySerializer());
             KafkaReplayReader windowed = reader(topic, 32 * 1024 * 1024);
             KafkaReplayReader plain = reader(topic, 0, new SimpleMeterRegistry())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            publish(producer, topic, 0, 30); // offsets 0-29: alice, bob, a broadcast, ...; every 10th a marker

            List<Long> first = offsets(windowed.replay(ALICE, Map.of(0, new ReplaySource.Range(5, 30))));
            assertThat(read("kafka")).isEqualTo(25);

            publish(producer, topic, 30, 20); // offsets 30-49
            List<Long> second = offsets(windowed.replay(BOB, Map.of(0, new ReplaySource.Range(8, 50))));
            List<Long> third = offsets(windowed.replay(ALICE, Map.of(0, new ReplaySource.Range(5, 40))));

            List<Long> fourth = offsets(windowed.replay(BOB, Map.of(0, new ReplaySource.Range(1, 45))));

            assertThat(read("kafka")).as("the second read Kafka from 30 only, the third not at all, the fourth 1-4")
                    .isEqualTo(25 + 20 + 4);
            assertThat(read("window")).as("without the markers: offsets 8-29, 5-39, 5-44")
                    .isEqualTo(20 + 32 + 36);
            assertThat(first).isEqualTo(offsets(plain.replay(ALICE, Map.of(0, new ReplaySource.Range(5, 30)))))
                    .containsExactly(5L, 6L, 8L, 9L, 11L, 12L, 14L, 15L, 17L, 18L, 21L, 23L, 24L, 26L, 27L, 29L);
            assertThat(second).isEqualTo(offsets(plain.replay(BOB, Map.of(0, new ReplaySource.Range(8, 50)))))
                    .startsWith(8L, 11L, 13L).doesNotContain(10L, 20L, 30L, 40L).hasSize(25);
            assertThat(third).isEqualTo(offsets(plain.replay(ALICE, Map.of(0, new ReplaySource.Range(5, 40)))))
                    .endsWith(35L, 36L, 38L, 39L);
            assertThat(fourth).isEqualTo(offsets(plain.replay(BOB, Map.of(0, new ReplaySource.Range(1, 45)))))
                    .startsWith(1L, 2L, 4L, 5L, 7L, 8L).endsWith(43L, 44L);
        }
    }

    /**
     * A user's replay reads two partitions (the user's and the broadcasts'), in one fetch from both; batch after
     * batch, the window and Kafka together give what Kafka alone gives.
     */
    @Test
    void aReplayOverSeveralPartitionsReadsThemTogetherBatchAfterBatch() throws Exception {
        String topic = TestInfra.uniqueName("replay-partitions");
        int alices = KeyPartitions.of(ALICE.value(), 3);
        int broadcasts = KeyPartitions.of(RoutingKeys.BROADCAST, 3);
        assertThat(alices).isNotEqualTo(broadcasts);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", TestInfra.kafkaBootstrap()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     TestInfra.kafkaBootstrap()), new StringSerializer(), new ByteArraySerializer());
             KafkaReplayReader windowed = reader(topic, 32 * 1024 * 1024);
             KafkaReplayReader plain = reader(topic, 0, new SimpleMeterRegistry())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    producer.partitionsFor(topic).stream().filter(p -> p.leader() != null).count() == 3);
            for (int batch = 0; batch < 3; batch++) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    PushRequest toAlice = PushRequest.toUser(ALICE, RawJson.parse("{\"n\":" + i + "}"));
                    PushRequest toAll = PushRequest.broadcast(RawJson.parse("{\"n\":" + i + "}"));
                    sent.add(producer.send(new ProducerRecord<>(topic, alices, RoutingKeys.of(toAlice), codec.encode(toAlice))));
                    sent.add(producer.send(new ProducerRecord<>(topic, broadcasts, RoutingKeys.of(toAll), codec.encode(toAll))));
                }
                for (Future<RecordMetadata> f : sent) {
                    f.get(30, TimeUnit.SECONDS); // every record is in Kafka before the replay asks for it
                }
                Map<Integer, ReplaySource.Range> ranges = Map.of(alices, new ReplaySource.Range(batch * 5, 10 + batch * 10),
                        broadcasts, new ReplaySource.Range(batch * 3, 10 + batch * 10));

                List<Long> got = offsets(windowed.replay(ALICE, ranges));

                assertThat(got).isEqualTo(offsets(plain.replay(ALICE, ranges))).hasSize(20 + batch * 12);
            }
            assertThat(read("kafka")).as("each batch read from Kafka only the 10 new records of each partition")
                    .isEqualTo(60);
        }
    }

    /** Offset {@code o}: a marker when o % 10 == 0, else alice's (o % 3 == 0), bob's (1) or a broadcast (2). */
    private void publish(KafkaProducer<String, byte[]> producer, String topic, int from, int count) throws Exception {
        for (int o = from; o < from + count; o++) {
            ProducerRecord<String, byte[]> record;
            if (o % 10 == 0) {
                record = new ProducerRecord<>(topic, 0, "alice", "{}".getBytes(StandardCharsets.UTF_8));
                record.headers().add(ControlMarker.HEADER, "session-opened".getBytes(StandardCharsets.UTF_8));
            } else {
                RawJson payload = RawJson.parse("{\"n\":" + o + "}");
                PushRequest request = switch (o % 3) {
                    case 0 -> PushRequest.toUser(ALICE, payload);
                    case 1 -> PushRequest.toUser(BOB, payload);
                    default -> PushRequest.broadcast(payload);
                };
                record = new ProducerRecord<>(topic, 0, RoutingKeys.of(request), codec.encode(request));
            }
            assertThat(producer.send(record).get(30, TimeUnit.SECONDS).offset()).isEqualTo(o);
        }
    }

    private static List<Long> offsets(java.util.concurrent.CompletableFuture<ReplaySource.Result> replay)
            throws Exception {
        ReplaySource.Result result = replay.get(30, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(ReplaySource.Result.Complete.class);
        List<Long> offsets = new ArrayList<>();
        for (Delivery d : ((ReplaySource.Result.Complete) result).deliveries()) {
            offsets.add(d.position().offset());
        }
        return offsets;
    }

    private double read(String source) {
        return meters.get("pushfabric.connector.replay.records.read").tag("source", source).counter().count();
    }
}
