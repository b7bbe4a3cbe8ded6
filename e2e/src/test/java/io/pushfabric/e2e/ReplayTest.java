package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The delivery guarantee of docs/guarantees.md, clause by clause, on real Kafka and Redis. */
class ReplayTest {
    private static Fabric fabric;

    @BeforeAll
    static void start() {
        fabric = Fabric.start(2, 2, Map.of());
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    private static ObjectNode payload(String text) {
        return Json.MAPPER.createObjectNode().put("text", text);
    }

    private static MessagePosition publish(String user, String text) {
        return fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload(text))).join();
    }

    private static List<String> texts(List<ServerFrame.Push> pushes) {
        return pushes.stream().map(p -> p.request().payload().tree().path("text").asText()).toList();
    }

    private static WsClient connected(int node, String user, String cursor) {
        WsClient c = fabric.connect(node, user, cursor);
        await().atMost(Duration.ofSeconds(20)).until(c::isWelcomed);
        return c;
    }

    /** Clause 1 with the route cache on: the cache is warmed with "not connected" for every user first. */
    @Test
    void connectThenImmediatelyPublishNeverMissesAcross1000Iterations() {
        int n = 1000;
        double offlineBefore = fabric.dispatched("offline");
        List<CompletableFuture<MessagePosition>> warm = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            warm.add(fabric.publisher().publish(PushRequest.toUser(UserId.of("race-" + i), payload("warm"))));
        }
        CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> fabric.dispatched("offline") >= offlineBefore + n);

        Map<String, WsClient> clients = new ConcurrentHashMap<>();
        int window = 50;
        for (int start = 0; start < n; start += window) {
            List<CompletableFuture<WsClient>> batch = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + window); i++) {
                String user = "race-" + i;
                batch.add(WsClient.connect(fabric.http, fabric.wsUrl(i % 2), fabric.token(user), null, frame -> {
                    if (frame instanceof ServerFrame.Welcome) {
                        fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload("after-welcome")));
                    }
                }, () -> { }).thenApply(c -> {
                    clients.put(user, c);
                    return c;
                }));
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> missing = new ArrayList<>();
            clients.forEach((user, c) -> {
                if (!texts(c.pushes()).contains("after-welcome")) {
                    missing.add(user);
                }
            });
            assertThat(missing).as("users whose message published right after the welcome never came").isEmpty();
        });
        clients.values().forEach(c -> {
            assertThat(texts(c.pushes())).as("nothing from before the welcome, nothing twice").containsExactly("after-welcome");
            c.close();
        });
    }

    /** Clause 2: disconnect, 500 messages, reconnect to the other node with the cursor. */
    @Test
    void resumeOnTheOtherNodeReplaysExactlyTheMissedMessagesInOrderThenLive() {
        String user = "resumer";
        WsClient first = connected(0, user, null);
        for (int i = 0; i < 5; i++) {
            publish(user, "before-" + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> first.pushes().size() == 5);
        String cursor = first.cursor();
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(first::isClosed);

        List<String> missed = new ArrayList<>();
        List<CompletableFuture<MessagePosition>> acks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String text = "missed-" + i;
            missed.add(text);
            acks.add(fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload(text))));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();

        WsClient second = connected(1, user, cursor);
        assertThat(second.welcome().recovered()).isTrue();
        assertThat(second.welcome().replayed()).isEqualTo(500);
        assertThat(second.welcome().node().value()).isEqualTo(fabric.nodeId(1));
        List<String> live = List.of("live-0", "live-1", "live-2");
        live.forEach(t -> publish(user, t));
        List<String> all = new ArrayList<>(missed);
        all.addAll(live);
        await().atMost(Duration.ofSeconds(20)).until(() -> second.pushes().size() >= all.size());
        assertThat(texts(second.pushes())).containsExactlyElementsOf(all);
        second.close();
    }

    @Test
    void resumeAlsoReplaysMissedBroadcasts() {
        String user = "broadcast-resumer";
        WsClient first = connected(0, user, null);
        String cursor = first.cursor();
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(first::isClosed);
        publish(user, "mine-1");
        fabric.publisher().publish(PushRequest.broadcast(payload("everyone-1"))).join();
        publish(user, "mine-2");
        WsClient second = connected(1, user, cursor);
        await().atMost(Duration.ofSeconds(20)).until(() -> second.pushes().size() >= 3);
        assertThat(second.welcome().recovered()).isTrue();
        assertThat(texts(second.pushes())).containsExactlyInAnyOrder("mine-1", "everyone-1", "mine-2");
        second.close();
    }

    @Test
    void cursorOlderThanTheLogStartIsNotRecoveredAndNothingPartialIsSent() throws Exception {
        String user = "too-late";
        WsClient first = connected(0, user, null);
        String cursor = first.cursor();
        first.close();
        MessagePosition last = null;
        for (int i = 0; i < 20; i++) {
            last = publish(user, "lost-" + i);
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fabric.env.get("PUSH_KAFKA_BOOTSTRAP")))) {
            // Retention passes for the first half of what the client missed.
            admin.deleteRecords(Map.of(new TopicPartition(fabric.topics.requests(), last.partition()),
                    RecordsToDelete.beforeOffset(last.offset() - 5))).all().get(10, TimeUnit.SECONDS);
        }
        WsClient second = connected(1, user, cursor);
        assertThat(second.welcome().recovered()).isFalse();
        assertThat(second.welcome().reason()).isEqualTo("retention");
        assertThat(second.welcome().replayed()).isZero();
        publish(user, "fresh");
        await().atMost(Duration.ofSeconds(20)).until(() -> !second.pushes().isEmpty());
        assertThat(texts(second.pushes())).containsExactly("fresh");
        second.close();
    }

    @Test
    void cursorOfARecreatedTopicIsNotRecovered() {
        String user = "other-topic";
        WsClient first = connected(0, user, null);
        Cursor mine = Cursor.parse(first.cursor());
        first.close();
        publish(user, "missed");
        String foreign = new Cursor("AAAAAAAAAAAAAAAAAAAAAA", mine.positions()).format();
        WsClient second = connected(1, user, foreign);
        assertThat(second.welcome().recovered()).isFalse();
        assertThat(second.welcome().reason()).isEqualTo("topic_changed");
        publish(user, "fresh");
        await().atMost(Duration.ofSeconds(20)).until(() -> !second.pushes().isEmpty());
        assertThat(texts(second.pushes())).containsExactly("fresh");
        second.close();
    }

    /** Clause 4: expiry, live and on replay. */
    @Test
    void expiredMessagesAreNeitherDeliveredNorReplayed() {
        String user = "expiring";
        WsClient live = connected(0, user, null);
        long now = System.currentTimeMillis();
        fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload("already-expired")).withExpiresAt(now - 1)).join();
        publish(user, "fresh-live");
        await().atMost(Duration.ofSeconds(20)).until(() -> texts(live.pushes()).contains("fresh-live"));
        assertThat(texts(live.pushes())).containsExactly("fresh-live");
        String cursor = live.cursor();
        live.close();
        await().atMost(Duration.ofSeconds(10)).until(live::isClosed);

        long expiresAt = System.currentTimeMillis() + 1_500;
        fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload("expires-while-away")).withExpiresAt(expiresAt)).join();
        fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload("still-valid"))
                .withExpiresAt(System.currentTimeMillis() + 600_000)).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > expiresAt);
        WsClient back = connected(1, user, cursor);
        await().atMost(Duration.ofSeconds(20)).until(() -> !back.pushes().isEmpty());
        assertThat(back.welcome().recovered()).isTrue();
        assertThat(texts(back.pushes())).containsExactly("still-valid");
        back.close();
    }

    /** Clause 4: a producer's retry with the same message id is delivered once, live and on replay. */
    @Test
    void repeatedProducerMessageIdIsDeliveredOnce() {
        String user = "repeater";
        WsClient live = connected(0, user, null);
        for (int i = 0; i < 3; i++) {
            fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload("order-1")).withMessageId("order-1")).join();
        }
        publish(user, "fence");
        await().atMost(Duration.ofSeconds(20)).until(() -> texts(live.pushes()).contains("fence"));
        assertThat(texts(live.pushes())).containsExactly("order-1", "fence");
        String cursor = live.cursor();
        live.close();
        await().atMost(Duration.ofSeconds(10)).until(live::isClosed);

        for (int i = 0; i < 3; i++) {
            fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload("order-2")).withMessageId("order-2")).join();
        }
        fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload("order-1")).withMessageId("order-1")).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> fabric.dispatched("duplicate") >= 5);
        WsClient back = connected(1, user, cursor);
        await().atMost(Duration.ofSeconds(20)).until(() -> !back.pushes().isEmpty());
        assertThat(back.welcome().replayed()).isEqualTo(1);
        assertThat(texts(back.pushes())).containsExactly("order-2");
        back.close();
    }

    /** Clause 5: duplicates the client may see carry the same id, so it can drop them. */
    @Test
    void everyDeliveryOfOneMessageCarriesTheSameId() {
        String user = "two-devices";
        WsClient phone = connected(0, user, null);
        WsClient laptop = connected(1, user, null);
        MessagePosition id = publish(user, "hello");
        await().atMost(Duration.ofSeconds(20)).until(() -> !phone.pushes().isEmpty() && !laptop.pushes().isEmpty());
        assertThat(phone.pushes().get(0).position()).isEqualTo(id);
        assertThat(laptop.pushes().get(0).position()).isEqualTo(id);
        assertThat(phone.pushes().get(0).node()).isNotEqualTo(laptop.pushes().get(0).node());
        phone.close();
        laptop.close();
    }

    static Map<String, Long> counts(List<String> texts) {
        Map<String, Long> m = new HashMap<>();
        texts.forEach(t -> m.merge(t, 1L, Long::sum));
        return m;
    }
}
