package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A resume that would replay more than the configured limit is refused whole, never cut short. */
class ReplayLimitTest {
    private static Fabric fabric;

    @BeforeAll
    static void start() {
        fabric = Fabric.start(1, 1, Map.of("PUSH_REPLAY_MAX_MESSAGES", "50"));
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    private static String missWhileAway(String user, int count) {
        WsClient first = fabric.connect(0, user, null);
        await().atMost(Duration.ofSeconds(20)).until(first::isWelcomed);
        String cursor = first.cursor();
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(first::isClosed);
        CompletableFuture<?>[] acks = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            acks[i] = fabric.publisher().publish(PushRequest.toUser(UserId.of(user),
                    Json.MAPPER.createObjectNode().put("n", i)));
        }
        CompletableFuture.allOf(acks).join();
        return cursor;
    }

    @Test
    void moreThanTheLimitIsNotRecoveredAndNothingIsReplayed() {
        String cursor = missWhileAway("greedy", 51);
        WsClient back = fabric.connect(0, "greedy", cursor);
        await().atMost(Duration.ofSeconds(20)).until(back::isWelcomed);
        assertThat(back.welcome().recovered()).isFalse();
        assertThat(back.welcome().reason()).isEqualTo("replay_limit");
        assertThat(back.welcome().replayed()).isZero();
        assertThat(back.pushes()).isEmpty();
        back.close();
    }

    @Test
    void exactlyTheLimitIsRecovered() {
        String cursor = missWhileAway("modest", 50);
        WsClient back = fabric.connect(0, "modest", cursor);
        await().atMost(Duration.ofSeconds(20)).until(() -> back.pushes().size() == 50);
        assertThat(back.welcome().recovered()).isTrue();
        assertThat(back.pushes()).extracting(p -> p.request().payload().tree().get("n").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
        back.close();
    }
}
