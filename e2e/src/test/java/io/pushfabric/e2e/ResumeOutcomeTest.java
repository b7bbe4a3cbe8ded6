package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the welcome of a resume says, through a plain WebSocket client: the positions where the session
 * stands, and every {@code recovered:false} reason a client can provoke, each with nothing partial sent.
 */
class ResumeOutcomeTest {
    private static final int PARTITIONS = 6;
    private static final int MAX_SPAN = 100;
    private static final int MAX_MESSAGES = 20;
    private static Fabric fabric;

    @BeforeAll
    static void start() {
        fabric = Fabric.start(1, 1, Map.of("PUSH_REQUESTS_PARTITIONS", String.valueOf(PARTITIONS),
                "PUSH_REPLAY_MAX_SPAN", String.valueOf(MAX_SPAN),
                "PUSH_REPLAY_MAX_MESSAGES", String.valueOf(MAX_MESSAGES)));
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    private static int partitionOf(String key) {
        return fabric.partitionOf(key);
    }

    private static void publish(String user, int count) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            acks[i] = fabric.publisher().publish(PushRequest.toUser(UserId.of(user),
                    Json.MAPPER.createObjectNode().put("n", i)));
        }
        CompletableFuture.allOf(acks).join();
    }

    private static WsClient connected(String user, String cursor) {
        WsClient c = fabric.connect(0, user, cursor);
        await().atMost(Duration.ofSeconds(20)).until(c::isWelcomed);
        return c;
    }

    private static String cursorOfAVisit(String user) {
        return fabric.cursorOfAVisit(0, user);
    }

    private static void leave(WsClient client) {
        client.close();
        await().atMost(Duration.ofSeconds(10)).until(client::isClosed);
    }

    /** A resume that is not recovered sends nothing partial, gives the fences, and then goes live. */
    private static void assertNotRecovered(String user, String cursor, String reason) {
        WsClient back = connected(user, cursor);
        ServerFrame.Welcome welcome = back.welcome();
        assertThat(welcome.recovered()).isFalse();
        assertThat(welcome.reason()).isEqualTo(reason);
        assertThat(welcome.replayed()).isZero();
        assertThat(welcome.cursor().positions()).containsKeys(partitionOf(user), partitionOf(RoutingKeys.BROADCAST));
        MessagePosition fresh = fabric.publisher().publish(PushRequest.toUser(UserId.of(user),
                Json.MAPPER.createObjectNode().put("fresh", true))).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> !back.pushes().isEmpty());
        assertThat(back.pushes()).extracting(ServerFrame.Push::position).containsExactly(fresh);
        leave(back);
    }

    @Test
    void quietUsersCursorMovesOnWithEveryResumeSoItStaysRecovered() {
        String user = "quiet";
        String chatty = fabric.neighbourOf(user);
        String cursor = cursorOfAVisit(user);
        // Each round, others' traffic moves the user's partition on by more than half the span limit: a
        // cursor that never moved would pass the limit in the second round.
        for (int round = 0; round < 4; round++) {
            publish(chatty, MAX_SPAN * 2 / 3);
            WsClient back = connected(user, cursor);
            assertThat(back.welcome().recovered()).as("round %d: %s", round, back.welcome().reason()).isTrue();
            assertThat(back.welcome().replayed()).isZero();
            Cursor before = Cursor.parse(cursor);
            cursor = back.cursor();
            assertThat(Cursor.parse(cursor).positions().get(partitionOf(user)))
                    .as("the welcome's position moved past the others' messages")
                    .isGreaterThan(before.positions().get(partitionOf(user)) + MAX_SPAN / 2);
            leave(back);
        }
    }

    @Test
    void cursorBehindTheLogStartIsNotRecoveredForRetention() throws Exception {
        String user = "outlived";
        String cursor = cursorOfAVisit(user);
        publish(user, 10);
        int partition = partitionOf(user);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fabric.env.get("PUSH_KAFKA_BOOTSTRAP")))) {
            long end = admin.listOffsets(Map.of(new TopicPartition(fabric.topics.requests(), partition),
                    org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS)
                    .values().iterator().next().offset();
            admin.deleteRecords(Map.of(new TopicPartition(fabric.topics.requests(), partition),
                    RecordsToDelete.beforeOffset(end - 5))).all().get(10, TimeUnit.SECONDS);
        }
        assertNotRecovered(user, cursor, "retention");
    }

    @Test
    void moreMissedMessagesThanTheLimitIsNotRecoveredForReplayLimit() {
        String user = "flooded";
        String cursor = cursorOfAVisit(user);
        publish(user, MAX_MESSAGES + 1);
        assertNotRecovered(user, cursor, "replay_limit");
    }

    @Test
    void cursorFurtherBackThanTheSpanIsNotRecoveredForReplayLimit() {
        String user = "long-gone";
        String cursor = cursorOfAVisit(user);
        publish(fabric.neighbourOf(user), MAX_SPAN + 1);
        assertNotRecovered(user, cursor, "replay_limit");
    }

    @Test
    void cursorOfAnotherTopicIsNotRecoveredForTopicChanged() {
        String user = "migrated";
        Cursor mine = Cursor.parse(cursorOfAVisit(user));
        assertNotRecovered(user, new Cursor("AAAAAAAAAAAAAAAAAAAAAA", mine.positions()).format(), "topic_changed");
    }

    @Test
    void cursorWithoutTheUsersPartitionIsNotRecoveredForCursorIncomplete() {
        String user = "partial";
        Cursor mine = Cursor.parse(cursorOfAVisit(user));
        Cursor lacking = new Cursor(mine.topicId(), Map.of((partitionOf(user) + 1) % PARTITIONS, 0L));
        assertNotRecovered(user, lacking.format(), "cursor_incomplete");
    }

    @Test
    void unparseableCursorIsNotRecoveredForBadCursor() {
        assertNotRecovered("garbler", "garbage!!", "bad_cursor");
    }

    @Test
    void cursorWithANonNumericOffsetIsNotRecoveredForBadCursor() {
        String user = "typo";
        Cursor mine = Cursor.parse(cursorOfAVisit(user));
        assertNotRecovered(user, mine.topicId() + "," + partitionOf(user) + ":twelve", "bad_cursor");
    }
}
