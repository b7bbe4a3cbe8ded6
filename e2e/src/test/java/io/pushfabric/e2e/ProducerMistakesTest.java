package io.pushfabric.e2e;

import io.pushfabric.client.KeyPartitions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.dispatcher.dlq.DeadLetter;
import io.pushfabric.dispatcher.dlq.KafkaDeadLetters;
import io.pushfabric.dispatcher.dlq.RedriveReport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mistakes a producer makes that must never cost a message silently: a partitioner other than Kafka's
 * murmur2 (librdkafka's default), and message ids reused across users.
 */
class ProducerMistakesTest {
    private static final int PARTITIONS = 6;
    private static Fabric fabric;

    @BeforeAll
    static void start() {
        fabric = Fabric.start(2, 1, Map.of("PUSH_REQUESTS_PARTITIONS", Integer.toString(PARTITIONS)));
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    private static PushRequest request(String user, String text) {
        return PushRequest.toUser(UserId.of(user), Json.MAPPER.createObjectNode().put("text", text));
    }

    private static List<String> texts(List<ServerFrame.Push> pushes) {
        return Fabric.texts(pushes);
    }

    private static WsClient connected(int node, String user, String cursor) {
        return fabric.connectWelcomed(node, user, cursor);
    }

    /** librdkafka's default partitioner ({@code consistent_random}) for a keyed record: crc32(key) % n. */
    private static int crc32Partition(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % PARTITIONS);
    }

    /**
     * A user whose records a crc32 producer puts on the broadcast partition, not on the user's own: replay
     * reads both for the user, so this is the case where a misplaced record could reach a client on replay.
     */
    private static String userMisplacedOnTheBroadcastPartition() {
        int broadcast = KeyPartitions.of(RoutingKeys.BROADCAST, PARTITIONS);
        for (int i = 0; i < 10_000; i++) {
            String user = "crc-user-" + i;
            if (crc32Partition(user) == broadcast && KeyPartitions.of(user, PARTITIONS) != broadcast) {
                return user;
            }
        }
        throw new IllegalStateException("no such user among 10,000 candidates");
    }

    private static KafkaDeadLetters deadLetters() {
        return new KafkaDeadLetters(Map.of("bootstrap.servers", fabric.env.get("PUSH_KAFKA_BOOTSTRAP")), fabric.topics,
                fabric.base + "-redrive", new PushRequestCodec(), Clock.systemUTC(), Duration.ofSeconds(30));
    }

    @Test
    void misplacedRecordsAreDeadLetteredThenRedrivenDeliveredAndReplayedOnTheOtherNode() throws Exception {
        String user = userMisplacedOnTheBroadcastPartition();
        WsClient first = connected(0, user, null);
        String before = first.cursor();
        // No messageId: replay must skip the misplaced originals by their partition, not by dedupe.
        PushRequestCodec codec = new PushRequestCodec();
        List<String> misplaced = new ArrayList<>();
        try (KafkaProducer<String, byte[]> crc = new KafkaProducer<>(
                Map.of("bootstrap.servers", fabric.env.get("PUSH_KAFKA_BOOTSTRAP")),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 5; i++) {
                misplaced.add("misplaced-" + i);
                crc.send(new ProducerRecord<>(fabric.topics.requests(), crc32Partition(user), user,
                        codec.encode(request(user, "misplaced-" + i)))).get();
            }
            crc.send(new ProducerRecord<>(fabric.topics.requests(), user, "{not json".getBytes(StandardCharsets.UTF_8))).get();
        }
        fabric.publisher().publish(request(user, "fence")).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> texts(first.pushes()).contains("fence"));
        assertThat(texts(first.pushes())).as("a misplaced record is never dispatched").containsExactly("fence");

        List<String> all = new ArrayList<>(List.of("fence"));
        all.addAll(misplaced);
        try (KafkaDeadLetters dlq = deadLetters()) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    dlq.countByReason().equals(Map.of("WRONG_PARTITION", 5L, "NOT_JSON", 1L)));
            DeadLetter letter = dlq.list(10).stream().filter(l -> l.reason().equals("WRONG_PARTITION")).findFirst()
                    .orElseThrow();
            assertThat(letter.detail()).contains("maps to partition " + KeyPartitions.of(user, PARTITIONS))
                    .contains("partitioner=murmur2_random");
            assertThat(dlq.show(letter.position())).hasValueSatisfying(l -> assertThat(l.key()).isEqualTo(user));

            RedriveReport report = dlq.redrive(false);

            assertThat(report.redriven()).isEqualTo(5);
            assertThat(report.refused()).isEqualTo(Map.of("NOT_JSON", 1L));
            await().atMost(Duration.ofSeconds(20)).until(() -> first.pushes().size() >= all.size());
            assertThat(texts(first.pushes())).containsExactlyElementsOf(all);
            RedriveReport again = dlq.redrive(false);
            assertThat(again.redriven() + again.refusedTotal()).as("a second redrive has nothing left to do").isZero();
        }
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(first::isClosed);
        // A broadcast after the misplaced originals, so the replay reads the broadcast partition across them.
        double routed = fabric.dispatched("routed");
        fabric.publisher().publish(PushRequest.broadcast(Json.MAPPER.createObjectNode().put("text", "everyone"))).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> fabric.dispatched("routed") > routed);

        WsClient second = connected(1, user, before);
        assertThat(second.welcome().recovered()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> texts(second.pushes()).contains("everyone")
                && second.pushes().size() >= all.size() + 1);
        assertThat(texts(second.pushes()).stream().filter(t -> !t.equals("everyone")).toList())
                .as("the redriven copies, not the misplaced originals").containsExactlyElementsOf(all);
        assertThat(texts(second.pushes())).filteredOn("everyone"::equals).hasSize(1);
        second.close();
    }

    @Test
    void sameMessageIdForTwoUsersReachesBothAndARepeatOnceLiveAndOnReplay() {
        String id = "digest-2026-11-27";
        WsClient alice = connected(0, "digest-alice", null);
        WsClient bob = connected(1, "digest-bob", null);
        String aliceBefore = alice.cursor();
        String bobBefore = bob.cursor();
        for (int i = 0; i < 2; i++) {
            fabric.publisher().publish(request("digest-alice", "alice-digest").withMessageId(id)).join();
            fabric.publisher().publish(request("digest-bob", "bob-digest").withMessageId(id)).join();
        }
        fabric.publisher().publish(request("digest-alice", "fence")).join();
        fabric.publisher().publish(request("digest-bob", "fence")).join();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                texts(alice.pushes()).contains("fence") && texts(bob.pushes()).contains("fence"));
        assertThat(texts(alice.pushes())).containsExactly("alice-digest", "fence");
        assertThat(texts(bob.pushes())).containsExactly("bob-digest", "fence");
        alice.close();
        bob.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.isClosed() && bob.isClosed());

        WsClient aliceBack = connected(1, "digest-alice", aliceBefore);
        WsClient bobBack = connected(0, "digest-bob", bobBefore);
        await().atMost(Duration.ofSeconds(20)).until(() -> aliceBack.pushes().size() >= 2 && bobBack.pushes().size() >= 2);
        assertThat(texts(aliceBack.pushes())).containsExactly("alice-digest", "fence");
        assertThat(texts(bobBack.pushes())).containsExactly("bob-digest", "fence");
        assertThat(aliceBack.welcome().replayed()).isEqualTo(2);
        assertThat(bobBack.welcome().replayed()).isEqualTo(2);
        aliceBack.close();
        bobBack.close();
    }
}
