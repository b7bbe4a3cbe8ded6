package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that vanish while their replay is being written, again and again: the socket closes on an I/O thread
 * (holding Undertow's channel lock) while a session thread writes the replay (holding the session's lock). The
 * close must never wait for the session on the I/O thread, or both threads wait for each other forever and every
 * connection on that I/O thread hangs — new ones included.
 */
class DropMidReplayTest {
    private static final int MISSED = 400;
    private static final int DROPS = 150;
    private static Fabric fabric;

    @BeforeAll
    static void start() {
        // Every drop is a new connection of the same user: lift the per-user connect rate for this test.
        fabric = Fabric.start(1, 1, Map.of("PUSH_CONNECTS_PER_USER_PER_MINUTE", "1000000"));
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a wedged connector fails, not hangs
    void clientsDroppingInTheMiddleOfTheirReplayNeverWedgeTheConnector() throws Exception {
        String user = "vanisher";
        String cursor = fabric.cursorOfAVisit(0, user);
        String padding = "x".repeat(4_000);
        CompletableFuture<?>[] acks = new CompletableFuture<?>[MISSED];
        for (int i = 0; i < MISSED; i++) {
            acks[i] = fabric.publisher().publish(PushRequest.toUser(UserId.of(user),
                    Json.MAPPER.createObjectNode().put("n", i).put("pad", padding)));
        }
        CompletableFuture.allOf(acks).join();

        for (int i = 0; i < DROPS; i++) {
            try (RawWebSocket gone = RawWebSocket.upgrade(fabric.connector(0).port(), fabric.token(user), cursor)) {
                gone.readUntil(1 + (i % 20)); // the welcome and a few replayed pushes, then the socket is gone
            }
        }

        // Every I/O thread still serves: a handful of new sessions, spread over them, are all welcomed.
        List<CompletableFuture<WsClient>> fresh = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fresh.add(WsClient.connect(fabric.http, fabric.wsUrl(0), fabric.token("after-" + i), null));
        }
        for (CompletableFuture<WsClient> f : fresh) {
            WsClient c = f.get(30, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(c::isWelcomed);
            c.close();
        }
        assertThat(fresh).allMatch(CompletableFuture::isDone);
    }
}
