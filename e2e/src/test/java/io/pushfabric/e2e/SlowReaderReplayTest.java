package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replay far larger than the send queue, to a client that does not read for a while: all of it arrives,
 * in order, or the welcome says it will not ({@code recovered:false}) and none does. Never a part.
 */
class SlowReaderReplayTest {
    private static final int MISSED = 5_000;
    private static final int LIVE = 20;
    private static Fabric fabric;

    @BeforeAll
    static void start() {
        // Default limits: a send queue of 1,000 frames, replays of up to 10,000 messages.
        fabric = Fabric.start(1, 1, Map.of());
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    /**
     * The welcome's positions are where the client stands before the replayed pushes that follow, so a
     * client that drops in the middle of a replay resumes from the last push it got and misses none.
     */
    @Test
    void clientThatDropsInTheMiddleOfAReplayResumesFromItsLastPushAndMissesNothing() throws Exception {
        String user = "dropper";
        String cursor = fabric.cursorOfAVisit(0, user);
        int missed = 2_000;
        publish(user, missed);

        Set<Integer> seen = new HashSet<>();
        Cursor kept;
        try (RawWebSocket first = RawWebSocket.upgrade(fabric.connector(0).port(), fabric.token(user), cursor)) {
            first.readUntil(1 + 100); // the welcome and the first 100 replayed pushes, then the phone dies
            assertThat(first.welcome().recovered()).isTrue();
            kept = first.welcome().cursor();
            for (ServerFrame.Push p : first.pushes()) {
                kept = kept.after(p.position());
                seen.add(p.request().payload().tree().get("n").asInt());
            }
        }
        assertThat(seen).hasSizeLessThan(missed);

        WsClient back = fabric.connect(0, user, kept.format());
        await().atMost(Duration.ofSeconds(30)).until(() -> back.isWelcomed()
                && back.pushes().size() >= back.welcome().replayed());
        assertThat(back.welcome().recovered()).isTrue();
        back.pushes().forEach(p -> seen.add(p.request().payload().tree().get("n").asInt()));
        assertThat(seen).as("every missed message, from one connection or the other")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, missed).boxed().toList());
        back.close();
    }

    /**
     * A live client that stops reading fills its send queue and is closed with 4000; the pushes queued before
     * the close still reach it, in order and without a gap, so its cursor resumes exactly after the last one.
     */
    @Test
    void liveClientThatStopsReadingIsClosedWith4000AfterEveryPushQueuedBeforeIt() throws Exception {
        String user = "stopper";
        double slowClosed = fabric.connectorMeters(0).counter("pushfabric.connector.sessions.slow.closed").count();
        try (RawWebSocket slow = RawWebSocket.upgrade(fabric.connector(0).port(), fabric.token(user), null)) {
            slow.readUntil(1);
            assertThat(slow.welcome()).as("welcomed, then reads nothing").isNotNull();

            publish(user, MISSED); // 2 KB each: far more than the socket buffers and a send queue of 1,000 hold
            await().atMost(Duration.ofSeconds(60)).until(() -> fabric.connectorMeters(0)
                    .counter("pushfabric.connector.sessions.slow.closed").count() > slowClosed);
            await().atMost(Duration.ofSeconds(60)).until(() -> !slow.readAvailable());

            assertThat(slow.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
            List<Integer> got = slow.pushes().stream().map(p -> p.request().payload().tree().get("n").asInt()).toList();
            assertThat(got).as("a prefix of what was published: in order, none missing, not all")
                    .hasSizeLessThan(MISSED)
                    .containsExactlyElementsOf(IntStream.range(0, got.size()).boxed().toList());
        }
    }

    private static void publish(String user, int count) {
        String padding = "x".repeat(2_000);
        CompletableFuture<?>[] acks = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            acks[i] = fabric.publisher().publish(PushRequest.toUser(UserId.of(user),
                    Json.MAPPER.createObjectNode().put("n", i).put("pad", padding)));
        }
        CompletableFuture.allOf(acks).join();
    }

    @Test
    void replayToAClientThatPausesReadingIsAllOrNothing() throws Exception {
        String user = "sloth";
        String cursor = fabric.cursorOfAVisit(0, user);
        // 2 KB each: 10 MB in all, far more than the socket buffers between the server and the client hold.
        publish(user, MISSED);

        try (RawWebSocket slow = RawWebSocket.upgrade(fabric.connector(0).port(), fabric.token(user), cursor)) {
            // Reads nothing for 3 s while the server writes the welcome and the replay, and new messages come.
            for (int i = 0; i < LIVE; i++) {
                fabric.publisher().publish(PushRequest.toUser(UserId.of(user),
                        Json.MAPPER.createObjectNode().put("n", MISSED + i))).join();
            }
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !slow.readAvailable() || slow.pushes().size() >= MISSED + LIVE);

            ServerFrame.Welcome welcome = slow.welcome();
            assertThat(welcome).as("the welcome came first").isNotNull();
            if (welcome.recovered()) {
                // Messages published before the session's marker are replayed too, the rest come live.
                assertThat(welcome.replayed()).isBetween(MISSED, MISSED + LIVE);
                assertThat(slow.pushes()).extracting(p -> p.request().payload().tree().get("n").asInt())
                        .as("all of the replay, in order, then the live ones, none twice")
                        .containsExactlyElementsOf(IntStream.range(0, MISSED + LIVE).boxed().toList());
                assertThat(slow.closeCode()).as("not closed").isNull();
            } else {
                assertThat(welcome.reason()).isEqualTo("replay_limit");
                assertThat(slow.pushes()).extracting(p -> p.request().payload().tree().get("n").asInt())
                        .as("none of the replay, only (some of) the live ones")
                        .isSubsetOf(IntStream.range(MISSED, MISSED + LIVE).boxed().toList());
            }
        }
    }
}
