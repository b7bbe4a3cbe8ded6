package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.testkit.TestInfra;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad records go to the dead-letter topic with their reason and block nothing; bad clients get clear errors; odd but
 * valid payloads pass untouched.
 */
class BadInputTest {
    private static final String USER = "victim";
    private static final String RAW_READER = "raw-reader";
    private static final String CHANNEL = "chat:raw";
    private static Fabric fabric;
    private static KafkaProducer<String, byte[]> raw;
    private static WsClient victim;

    @BeforeAll
    static void start() {
        fabric = Fabric.start(1, 1, Map.of("PUSH_MAX_PAYLOAD_BYTES", "1024", "PUSH_CHANNEL_NAMESPACES", "chat=open"));
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        victim = fabric.connect(0, USER, null);
        await().atMost(Duration.ofSeconds(20)).until(victim::isWelcomed);
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        if (fabric != null) {
            fabric.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "NOT_JSON            | victim | {this is not json",
        "BAD_SCHEMA          | victim | {\"v\":1,\"user\":\"victim\"}",
        "UNSUPPORTED_VERSION | victim | {\"v\":7,\"user\":\"victim\",\"payload\":1}",
        "KEY_MISMATCH        | victim | {\"v\":1,\"user\":\"someone-else\",\"payload\":1}",
        "PAYLOAD_TOO_LARGE   | victim | LARGE",
    })
    void badRecordIsDeadLetteredWithItsReasonAndLaterRecordsOfThePartitionStillFlow(String reason, String key,
                                                                                    String value) throws Exception {
        String body = value.equals("LARGE")
                ? "{\"v\":1,\"user\":\"victim\",\"payload\":\"" + "x".repeat(4096) + "\"}"
                : value;
        RecordMetadata bad = raw.send(new ProducerRecord<>(fabric.topics.requests(), key,
                body.getBytes(StandardCharsets.UTF_8))).get();
        String marker = "after-" + reason;
        MessagePosition good = fabric.publisher().publish(PushRequest.toUser(UserId.of(USER),
                Json.MAPPER.createObjectNode().put("text", marker))).join();
        assertThat(good.partition()).as("same partition as the bad record").isEqualTo(bad.partition());

        await().atMost(Duration.ofSeconds(20)).until(() -> victim.pushes().stream()
                .anyMatch(p -> p.request().payload().tree().path("text").asText().equals(marker)));
        ConsumerRecord<String, byte[]> dead = findDeadLetter(bad.partition() + "/" + bad.offset());
        assertThat(header(dead, "pf-dlq-reason")).isEqualTo(reason);
        assertThat(header(dead, "pf-dlq-detail")).isNotBlank();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @Test
    void requestInUtf16IsDeadLetteredAsNotJsonAndLaterRecordsStillFlow() throws Exception {
        byte[] utf16 = "{\"v\":1,\"user\":\"victim\",\"payload\":{\"text\":\"in utf-16\"}}"
                .getBytes(StandardCharsets.UTF_16BE);
        RecordMetadata bad = raw.send(new ProducerRecord<>(fabric.topics.requests(), USER, utf16)).get();
        fabric.publisher().publish(PushRequest.toUser(UserId.of(USER),
                Json.MAPPER.createObjectNode().put("text", "after-utf-16"))).join();

        await().atMost(Duration.ofSeconds(20)).until(() -> victim.pushes().stream()
                .anyMatch(p -> p.request().payload().tree().path("text").asText().equals("after-utf-16")));
        ConsumerRecord<String, byte[]> dead = findDeadLetter(bad.partition() + "/" + bad.offset());
        assertThat(header(dead, "pf-dlq-reason")).isEqualTo("NOT_JSON");
        assertThat(header(dead, "pf-dlq-detail")).contains("not UTF-8");
        assertThat(dead.value()).isEqualTo(utf16);
        assertThat(victim.pushes()).noneMatch(p -> p.request().payload().toString().contains("in utf-16"));
    }

    /** Every text frame, as the socket delivered it. */
    private static final class RawFrames implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        boolean has(String fragment) {
            return texts.stream().anyMatch(t -> t.contains(fragment));
        }

        String push(String marker) {
            return texts.stream().filter(t -> t.startsWith("{\"type\":\"push\"") && t.contains(marker)).findFirst()
                    .orElse(null);
        }
    }

    private static String payload(String target) {
        return "{ \"t\" : \"" + target + "\",\n  \"n\": 1.10, \"big\": 123456789012345678901234567890, \"e\": 1e2,"
                + " \"s\": \"caf\\u00e9 \uD83D\uDE00\" }";
    }

    private static void produce(String key, String request) throws Exception {
        raw.send(new ProducerRecord<>(fabric.topics.requests(), key, request.getBytes(StandardCharsets.UTF_8))).get();
    }

    /**
     * Valid but unusual payloads (whitespace, non-canonical numbers, escapes, an emoji) from a plain producer reach
     * a plain WebSocket client byte for byte, as a user push, a channel push and a broadcast (docs/protocol.md,
     * "The payload passes byte for byte").
     */
    @Test
    void userChannelAndBroadcastPayloadsReachTheSocketByteForByte() throws Exception {
        RawFrames frames = new RawFrames();
        WebSocket ws = fabric.http.newWebSocketBuilder().buildAsync(
                URI.create(fabric.wsUrl(0) + "?access_token=" + fabric.token(RAW_READER)), frames).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> frames.has("\"type\":\"welcome\""));
        ws.sendText("{\"type\":\"subscribe\",\"channel\":\"" + CHANNEL + "\"}", true).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> frames.has("\"type\":\"subscribed\""));

        produce(RAW_READER, "{\"v\":1,\"user\":\"" + RAW_READER + "\",\"payload\":" + payload("user") + "}");
        produce("#" + CHANNEL, "{\"v\":1,\"channel\":\"" + CHANNEL + "\",\"payload\":" + payload("channel") + "}");
        produce("*", "{ \"v\" : 1 , \"broadcast\" : true , \"payload\" : " + payload("broadcast") + " }");

        for (String target : List.of("user", "channel", "broadcast")) {
            String marker = "\"t\" : \"" + target + "\"";
            await().atMost(Duration.ofSeconds(20)).until(() -> frames.push(marker) != null);
            String frame = frames.push(marker);
            assertThat(frame).as(target).endsWith(",\"payload\":" + payload(target) + "}");
            assertThat(Json.MAPPER.readTree(frame).get("payload")).isEqualTo(Json.MAPPER.readTree(payload(target)));
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void upgradeWithoutTokenIsRefusedWith401() {
        assertThat(handshakeStatus(fabric.wsUrl(0))).isEqualTo(401);
    }

    @Test
    void upgradeWithTokenSignedByAnotherSecretIsRefusedWith401() {
        String forged = new io.pushfabric.connector.auth.TokenIssuer(new io.pushfabric.connector.auth.AuthSettings(
                "another-secret-another-secret-another-secret", null, null, Duration.ZERO), java.time.Clock.systemUTC())
                .issue(UserId.of(USER), Duration.ofMinutes(5));
        assertThat(handshakeStatus(fabric.wsUrl(0) + "?access_token=" + forged)).isEqualTo(401);
    }

    @Test
    void upgradeWithExpiredTokenIsRefusedWith401() {
        String expired = new io.pushfabric.connector.auth.TokenIssuer(new io.pushfabric.connector.auth.AuthSettings(
                Fabric.SECRET, null, null, Duration.ZERO),
                java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-2)))
                .issue(UserId.of(USER), Duration.ofMinutes(5));
        assertThat(handshakeStatus(fabric.wsUrl(0) + "?access_token=" + expired)).isEqualTo(401);
    }

    @Test
    void badFrameGetsAnErrorFrameAndTheSessionStays() {
        WsClient client = fabric.connect(0, "framer", null);
        await().atMost(Duration.ofSeconds(20)).until(client::isWelcomed);
        client.send("this is not a frame");
        client.send("{\"type\":\"ping\"}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.frames())
                .anySatisfy(f -> assertThat(f).isInstanceOfSatisfying(ServerFrame.Error.class,
                        e -> assertThat(e.code()).isEqualTo("bad_frame")))
                .anySatisfy(f -> assertThat(f).isInstanceOf(ServerFrame.Pong.class)));
        assertThat(client.isClosed()).isFalse();
        client.close();
    }

    private static int handshakeStatus(String url) {
        Throwable error = catchThrowable(() -> fabric.http.newWebSocketBuilder()
                .buildAsync(java.net.URI.create(url), new java.net.http.WebSocket.Listener() {
                }).join());
        assertThat(error).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) error.getCause()).getResponse().statusCode();
    }

    private static ConsumerRecord<String, byte[]> findDeadLetter(String source) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(fabric.topics.deadLetter(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            ConsumerRecord<String, byte[]>[] found = new ConsumerRecord[1];
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (source.equals(header(r, "pf-dlq-source").substring(fabric.topics.requests().length() + 1))) {
                        found[0] = r;
                    }
                }
                return found[0] != null;
            });
            return found[0];
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
