package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.testkit.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What happens when something takes too long: a replay scan, a peer that has gone silent. */
class TimeoutsTest {
    private static Fabric fabric;

    @BeforeAll
    static void start() {
        // No dispatcher: nothing here needs live delivery, and the records written below stay unread by one.
        fabric = Fabric.start(1, 0, Map.of("PUSH_REPLAY_SCAN_TIMEOUT_MS", "100",
                "PUSH_PING_INTERVAL_MS", "250",
                // Short, yet 8 pings long: a client that answers pings is never near it, even on a busy machine.
                "PUSH_IDLE_TIMEOUT_MS", "2000"));
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    @Test
    void replayThatCannotBeReadInTimeIsNotRecoveredForReplayTimeout() {
        String user = "patient";
        String cursor = fabric.cursorOfAVisit(0, user);
        String neighbour = fabric.neighbourOf(user);
        // 600,000 records of others in the user's partition: far more than one scan reads in 100 ms.
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        byte[] value = ("{\"v\":1,\"user\":\"" + neighbour + "\",\"payload\":1}").getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 600_000; i++) {
                producer.send(new ProducerRecord<>(fabric.topics.requests(), neighbour, value));
            }
            producer.flush();
        }

        WsClient back = fabric.connect(0, user, cursor);
        await().atMost(Duration.ofSeconds(30)).until(back::isWelcomed);
        assertThat(back.welcome().recovered()).isFalse();
        assertThat(back.welcome().reason()).isEqualTo("replay_timeout");
        assertThat(back.welcome().replayed()).isZero();
        assertThat(back.pushes()).isEmpty();
        back.close();
    }

    @Test
    void peerThatSendsNothingIsDroppedAfterTheIdleTimeout() throws Exception {
        try (RawWebSocket silent = RawWebSocket.upgrade(fabric.connector(0).port(), fabric.token("silent"), null)) {
            // It reads (so the server's pings and writes go through) but never answers a ping.
            await().atMost(Duration.ofSeconds(20)).until(() -> !silent.readAvailable());
            assertThat(silent.frames()).first().isInstanceOf(ServerFrame.Welcome.class);
            assertThat(silent.closeCode()).as("the close frame reached a peer that reads").isEqualTo(4004);
        }
    }

    @Test
    void clientThatAnswersPingsStaysConnectedPastTheIdleTimeout() {
        WsClient client = fabric.connect(0, "chatty-pinger", null);
        await().atMost(Duration.ofSeconds(20)).until(client::isWelcomed);
        // The JDK client answers the server's pings by itself and sends nothing else.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> !client.isClosed());
        client.close();
    }
}
