package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.testkit.TestInfra;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients against one connector with small limits, real WebSockets, real Kafka and Redis: each
 * limit in {@code docs/security.md} is hit and answered as documented, and a well-behaved client on the
 * same node keeps receiving every push meanwhile. The connector trusts 127.0.0.1 as a proxy, so each
 * client picks its source address with {@code X-Forwarded-For}.
 */
class HostileClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MAX_CONNECTIONS = 6;
    private static final int USER_CONNECTS_PER_MINUTE = 4;
    private static final int ADDRESS_CONNECTS_PER_MINUTE = 8;
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private static Fabric fabric;
    private static WsClient good;
    private static int published;
    private final List<WsClient> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        fabric = Fabric.start(1, 1, Map.of(
                "PUSH_TRUSTED_PROXIES", "127.0.0.1",
                "PUSH_MAX_CLIENT_FRAME_BYTES", "4096",
                "PUSH_MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS),
                "PUSH_MAX_SESSIONS_PER_USER", "2",
                "PUSH_CONNECTS_PER_USER_PER_MINUTE", Integer.toString(USER_CONNECTS_PER_MINUTE),
                "PUSH_CONNECTS_PER_ADDRESS_PER_MINUTE", Integer.toString(ADDRESS_CONNECTS_PER_MINUTE),
                "PUSH_CLIENT_FRAMES_PER_SECOND", "5"));
        good = WsClient.connect(fabric.http, fabric.wsUrl(0), fabric.token("good"), null, forwardedFor(newAddress()),
                f -> { }, () -> { }).join();
        await().atMost(WAIT).until(good::isWelcomed);
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    /** Every test ends with the well-behaved client still connected and holding every push sent to it. */
    @AfterEach
    void wellBehavedClientLostNothing() {
        opened.forEach(WsClient::close);
        await().atMost(WAIT).until(() -> fabric.connector(0).sessionCount() == 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(fabric.connectorMeters(0)
                .get("pushfabric.connector.connections").gauge().value()).as("connections counted").isEqualTo(1));
        int n = ++published;
        fabric.publisher().publish(PushRequest.toUser(UserId.of("good"), Json.MAPPER.createObjectNode().put("n", n))).join();
        await().atMost(WAIT).until(() -> good.pushes().size() == n);
        assertThat(good.pushes()).extracting(p -> p.request().payload().tree().path("n").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, n).boxed().toList());
        assertThat(good.isClosed()).isFalse();
    }

    @Test
    void binaryMessageOverTheLimitClosesTheConnectionWith1009() {
        double before = counter("pushfabric.connector.limit.closed", "frame_too_big");
        WsClient client = connect("binary-" + newAddress(), newAddress());
        catchThrowable(() -> client.sendBinary(ByteBuffer.allocate(64 * 1024))); // the server may close mid-frame
        await().atMost(WAIT).until(client::isClosed);
        assertThat(client.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        assertThat(counter("pushfabric.connector.limit.closed", "frame_too_big")).isEqualTo(before + 1);
    }

    @Test
    void textMessageOverTheLimitClosesTheConnectionWith1009() {
        WsClient client = connect("text-" + newAddress(), newAddress());
        catchThrowable(() -> client.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(8 * 1024) + "\"}"));
        await().atMost(WAIT).until(client::isClosed);
        assertThat(client.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void floodOfFramesClosesTheConnectionWith1008() {
        WsClient client = connect("flooder", newAddress());
        for (int i = 0; i < 50 && !client.isClosed(); i++) {
            if (catchThrowable(() -> client.send("{\"type\":\"ping\"}")) != null) {
                break; // closed by the server meanwhile
            }
        }
        await().atMost(WAIT).until(client::isClosed);
        assertThat(client.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
        assertThat(counter("pushfabric.connector.limit.closed", "frame_rate")).isEqualTo(1);
    }

    @Test
    void nodeAtItsConnectionLimitRefusesUpgradesWith503AndReportsFull() throws Exception {
        for (int i = 1; i < MAX_CONNECTIONS; i++) {
            connect("crowd-" + i, newAddress());
        }
        HttpResponse<String> refused = refusal("crowd-late", newAddress());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"full\"");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(readyz()).isEqualTo("503 full");
        assertThat(counter("pushfabric.connector.upgrades.refused", "full")).isEqualTo(1);

        opened.remove(0).close();
        await().atMost(WAIT).until(() -> readyz().equals("200 ready"));
    }

    @Test
    void userAtItsSessionLimitIsRefusedTheNewestWith429AndKeepsTheOldOnes() {
        WsClient first = connect("tabs", newAddress());
        WsClient second = connect("tabs", newAddress());
        HttpResponse<String> refused = refusal("tabs", newAddress());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("\"user_sessions\"");
        assertThat(first.isClosed()).isFalse();
        assertThat(second.isClosed()).isFalse();
        assertThat(counter("pushfabric.connector.upgrades.refused", "user_sessions")).isEqualTo(1);
    }

    @Test
    void reconnectLoopOfOneUserIsRefusedWith429AndWritesNothingToKafka() {
        long before = recordsInRequests();
        int welcomed = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 3 * USER_CONNECTS_PER_MINUTE && refused == null; i++) {
            String address = newAddress();
            HttpResponse<String> answer = refusalOrNull("looper", address);
            if (answer != null) {
                refused = answer;
            } else {
                welcomed++;
            }
        }
        assertThat(welcomed).isEqualTo(USER_CONNECTS_PER_MINUTE);
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("\"user_rate\"");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(s ->
                assertThat(Long.parseLong(s)).isBetween(1L, 60L));
        for (int i = 0; i < 5; i++) {
            assertThat(refusal("looper", newAddress()).statusCode()).isEqualTo(429);
        }
        assertThat(recordsInRequests() - before).as("session-opened markers written")
                .isEqualTo(USER_CONNECTS_PER_MINUTE);
    }

    @Test
    void connectFloodFromOneAddressIsRefusedWith429() {
        String address = newAddress();
        for (int i = 0; i < ADDRESS_CONNECTS_PER_MINUTE; i++) {
            WsClient client = connect("neighbour-" + i, address);
            client.close();
            await().atMost(WAIT).until(client::isClosed);
        }
        HttpResponse<String> refused = refusal("neighbour-late", address);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("\"address_rate\"");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refusalOrNull("neighbour-late", newAddress())).as("another address").isNull();
    }

    @Test
    void nodeUnderMemoryPressureShedsNewUpgradesAndKeepsItsSessions() {
        MemoryPoolMXBean oldGen = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getName().endsWith("Old Gen"))
                .findFirst().orElseThrow();
        System.gc(); // measure live data, not garbage
        long max = oldGen.getCollectionUsage().getMax();
        int baseline = (int) (oldGen.getCollectionUsage().getUsed() * 100 / max);
        int threshold = baseline + 5;
        fabric.startConnector(1, Map.of("PUSH_MEMORY_SHED_PERCENT", Integer.toString(threshold)));
        try {
            WsClient resident = WsClient.connect(fabric.http, fabric.wsUrl(1), fabric.token("resident"), null,
                    forwardedFor(newAddress()), f -> { }, () -> { }).join();
            await().atMost(WAIT).until(resident::isWelcomed);

            byte[][] ballast = new byte[10][];
            for (int i = 0; i < ballast.length; i++) {
                ballast[i] = new byte[(int) (max / 100)]; // 10 % of the old generation, kept live
            }
            System.gc();
            HttpResponse<String> shed = refusal(fabric.wsUrl(1), "newcomer", newAddress());
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.body()).contains("\"memory\"");
            assertThat(httpGet(1, "/readyz")).isEqualTo("503 memory");
            fabric.publisher().publish(PushRequest.toUser(UserId.of("resident"),
                    Json.MAPPER.createObjectNode().put("kept", ballast.length))).join();
            await().atMost(WAIT).until(() -> resident.pushes().size() == 1);
            assertThat(resident.isClosed()).isFalse();

            ballast = null;
            System.gc();
            WsClient newcomer = WsClient.connect(fabric.http, fabric.wsUrl(1), fabric.token("newcomer"), null,
                    forwardedFor(newAddress()), f -> { }, () -> { }).join();
            await().atMost(WAIT).until(newcomer::isWelcomed);
            newcomer.close();
            resident.close();
        } finally {
            fabric.connector(1).close();
        }
    }

    private WsClient connect(String user, String address) {
        WsClient client = WsClient.connect(fabric.http, fabric.wsUrl(0), fabric.token(user), null,
                forwardedFor(address), f -> { }, () -> { }).join();
        opened.add(client);
        await().atMost(WAIT).until(() -> client.isWelcomed() || client.isClosed());
        return client;
    }

    private HttpResponse<String> refusal(String user, String address) {
        return refusal(fabric.wsUrl(0), user, address);
    }

    @SuppressWarnings("unchecked")
    private HttpResponse<String> refusal(String url, String user, String address) {
        Throwable error = catchThrowable(() -> opened.add(WsClient.connect(fabric.http, url, fabric.token(user), null,
                forwardedFor(address), f -> { }, () -> { }).join()));
        assertThat(error).as("upgrade of %s from %s refused", user, address)
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        return (HttpResponse<String>) ((WebSocketHandshakeException) error.getCause()).getResponse();
    }

    /** Connects, waits for the welcome and closes; @return null, or the refusal */
    private HttpResponse<String> refusalOrNull(String user, String address) {
        try {
            WsClient client = WsClient.connect(fabric.http, fabric.wsUrl(0), fabric.token(user), null,
                    forwardedFor(address), f -> { }, () -> { }).join();
            await().atMost(WAIT).until(client::isWelcomed);
            client.close();
            await().atMost(WAIT).until(client::isClosed);
            return null;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                @SuppressWarnings("unchecked")
                HttpResponse<String> response = (HttpResponse<String>) refused.getResponse();
                return response;
            }
            throw e;
        }
    }

    private static String readyz() {
        return httpGet(0, "/readyz");
    }

    private static String httpGet(int connector, String path) {
        try {
            HttpResponse<String> response = fabric.http.send(java.net.http.HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + fabric.connector(connector).port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double counter(String name, String reason) {
        SimpleMeterRegistry meters = fabric.connectorMeters(0);
        io.micrometer.core.instrument.Counter counter = meters.find(name).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long recordsInRequests() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(fabric.topics.requests()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static String newAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    private static Map<String, String> forwardedFor(String address) {
        return Map.of("X-Forwarded-For", address);
    }
}
