package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.contracts.receipts.Receipt;
import io.pushfabric.contracts.receipts.Receipt.Status;
import io.pushfabric.contracts.receipts.ReceiptCodec;
import io.pushfabric.testkit.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Receipts on {@code push-receipts}, outcome by outcome, and client acknowledgements, on a fabric of two connectors
 * and a dispatcher on real Kafka and Redis. Receipts are on per request (the default {@code PUSH_RECEIPTS=requested}).
 */
class ReceiptsTest {
    private static Fabric fabric;
    private static String receiptsTopic;
    private static final List<Receipt> receipts = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean reading = new AtomicBoolean(true);
    private static Thread reader;

    @BeforeAll
    static void start() {
        receiptsTopic = TestInfra.uniqueName("receipts");
        fabric = Fabric.start(2, 1, Map.of("PUSH_TOPIC_RECEIPTS", receiptsTopic));
        reader = new Thread(ReceiptsTest::readReceipts, "receipts-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        reading.set(false);
        if (reader != null) {
            reader.join(5_000);
        }
        if (fabric != null) {
            fabric.close();
        }
    }

    /** What a backend does: consume push-receipts (here from its beginning, as the topic is this test's own). */
    private static void readReceipts() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", fabric.env.get("PUSH_KAFKA_BOOTSTRAP"),
                "group.id", receiptsTopic + "-reader", "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(receiptsTopic));
            ReceiptCodec codec = new ReceiptCodec();
            while (reading.get()) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    Receipt receipt = codec.decode(r.value());
                    assertThat(r.key()).as("keyed like the request").isEqualTo(receipt.key());
                    receipts.add(receipt);
                });
            }
        }
    }

    private static List<Receipt> of(MessagePosition position) {
        return receipts.stream().filter(r -> r.position().equals(position)).toList();
    }

    private static Receipt awaitReceipt(MessagePosition position, Status status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> of(position).stream().anyMatch(r -> r.status() == status));
        return of(position).stream().filter(r -> r.status() == status).findFirst().orElseThrow();
    }

    private static MessagePosition publish(PushRequest request) {
        return fabric.publisher().publish(request).join();
    }

    private static PushRequest withReceipt(String user, String text) {
        return PushRequest.toUser(UserId.of(user), Json.MAPPER.createObjectNode().put("text", text)).withReceipt(true);
    }

    @Test
    void deliveredReceiptsCountTheSessionsOnEachConnector() {
        WsClient phone = fabric.connectWelcomed(0, "dora", null);
        WsClient tablet = fabric.connectWelcomed(0, "dora", null);
        WsClient laptop = fabric.connectWelcomed(1, "dora", null);

        MessagePosition at = publish(withReceipt("dora", "hello").withMessageId("dora-1"));

        Receipt routed = awaitReceipt(at, Status.ROUTED);
        assertThat(routed.nodes()).containsExactlyInAnyOrder(NodeId.of(fabric.nodeId(0)), NodeId.of(fabric.nodeId(1)));
        assertThat(routed.messageId()).isEqualTo("dora-1");
        assertThat(routed.key()).isEqualTo("dora");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                of(at).stream().filter(r -> r.status() == Status.DELIVERED).count() == 2);
        assertThat(of(at)).filteredOn(r -> r.status() == Status.DELIVERED)
                .extracting(r -> r.node().value(), Receipt::sessions, Receipt::messageId)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(fabric.nodeId(0), 2, "dora-1"),
                        org.assertj.core.groups.Tuple.tuple(fabric.nodeId(1), 1, "dora-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> laptop.pushes().size() == 1);
        assertThat(laptop.pushes().get(0).request().receipt()).as("the push says it may be acknowledged").isTrue();
        List.of(phone, tablet, laptop).forEach(WsClient::close);
    }

    @Test
    void nobodyConnectedIsOffline() {
        MessagePosition at = publish(withReceipt("nobody-home", "hi").withMessageId("fallback-to-mail"));

        Receipt offline = awaitReceipt(at, Status.OFFLINE);

        assertThat(offline.messageId()).isEqualTo("fallback-to-mail");
        assertThat(offline.key()).isEqualTo("nobody-home");
    }

    @Test
    void pastItsExpiryIsExpired() {
        MessagePosition at = publish(withReceipt("late-reader", "old news").withExpiresAt(System.currentTimeMillis() - 1));

        assertThat(awaitReceipt(at, Status.EXPIRED).key()).isEqualTo("late-reader");
    }

    @Test
    void aRepeatedMessageIdIsDuplicate() {
        MessagePosition first = publish(withReceipt("repeater", "once").withMessageId("order-7"));
        MessagePosition second = publish(withReceipt("repeater", "once").withMessageId("order-7"));

        awaitReceipt(first, Status.OFFLINE);
        assertThat(awaitReceipt(second, Status.DUPLICATE).messageId()).isEqualTo("order-7");
    }

    @Test
    void aDeadLetteredRequestIsRejectedWithTheReason() throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", fabric.env.get("PUSH_KAFKA_BOOTSTRAP")),
                new StringSerializer(), new ByteArraySerializer())) {
            String value = "{\"v\":1,\"user\":\"erin\",\"payload\":{},\"receipt\":true,\"messageId\":\"m-bad\"}";
            var meta = producer.send(new ProducerRecord<>(fabric.topics.requests(), fabric.partitionOf("frank"), "frank",
                    value.getBytes(StandardCharsets.UTF_8))).get();
            MessagePosition at = new MessagePosition(meta.partition(), meta.offset());

            Receipt rejected = awaitReceipt(at, Status.REJECTED);

            assertThat(rejected.reason()).isEqualTo("KEY_MISMATCH");
            assertThat(rejected.detail()).isEqualTo("record key 'frank' must equal the routing key 'erin'");
            assertThat(rejected.messageId()).isEqualTo("m-bad");
            assertThat(rejected.key()).isEqualTo("frank");
        }
    }

    @Test
    void anAckedPushGetsOneAckedReceiptAndUnknownOrRepeatedAcksAreIgnored() {
        WsClient reader = fabric.connectWelcomed(1, "gina", null);
        MessagePosition first = publish(withReceipt("gina", "read me").withMessageId("g-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> reader.pushes().size() == 1);

        reader.send("{\"type\":\"ack\",\"id\":\"" + first.id() + "\"}");
        Receipt acked = awaitReceipt(first, Status.ACKED);
        assertThat(acked.session()).isEqualTo(reader.welcome().session());
        assertThat(acked.node().value()).isEqualTo(fabric.nodeId(1));
        assertThat(acked.messageId()).isEqualTo("g-1");

        reader.send("{\"type\":\"ack\",\"id\":\"" + first.id() + "\"}");          // again
        reader.send("{\"type\":\"ack\",\"id\":\"" + first.partition() + "-999999\"}"); // never sent
        MessagePosition second = publish(withReceipt("gina", "and me"));
        await().atMost(Duration.ofSeconds(20)).until(() -> reader.pushes().size() == 2);
        reader.send("{\"type\":\"ack\",\"id\":\"" + second.id() + "\"}");
        awaitReceipt(second, Status.ACKED); // acks are handled in order: the two before it are done with

        assertThat(of(first)).filteredOn(r -> r.status() == Status.ACKED).hasSize(1);
        assertThat(receipts).filteredOn(r -> r.position().equals(new MessagePosition(first.partition(), 999_999)))
                .isEmpty();
        assertThat(reader.frames()).noneMatch(f -> f instanceof ServerFrame.Error);
        assertThat(reader.isClosed()).isFalse();
        reader.close();
    }

    @Test
    void aReplayedPushCanBeAcknowledgedToo() {
        String cursor = fabric.cursorOfAVisit(0, "hana");
        MessagePosition missed = publish(withReceipt("hana", "while away"));
        awaitReceipt(missed, Status.OFFLINE);

        WsClient back = fabric.connectWelcomed(1, "hana", cursor);
        await().atMost(Duration.ofSeconds(20)).until(() -> back.pushes().size() == 1);
        assertThat(back.pushes().get(0).request().receipt()).isTrue();
        back.send("{\"type\":\"ack\",\"id\":\"" + missed.id() + "\"}");

        assertThat(awaitReceipt(missed, Status.ACKED).node().value()).isEqualTo(fabric.nodeId(1));
        back.close();
    }

    @Test
    void requestsThatDoNotAskGetNoReceipts() {
        WsClient client = fabric.connectWelcomed(0, "ivan", null);
        MessagePosition quiet = publish(PushRequest.toUser(UserId.of("ivan"), Json.MAPPER.createObjectNode()));
        MessagePosition loud = publish(withReceipt("ivan", "with"));
        await().atMost(Duration.ofSeconds(20)).until(() -> client.pushes().size() == 2);
        client.send("{\"type\":\"ack\",\"id\":\"" + quiet.id() + "\"}");
        client.send("{\"type\":\"ack\",\"id\":\"" + loud.id() + "\"}");

        // One user's receipts share a partition and each writer keeps their order: once the later request's
        // receipts are in, the earlier one's would be too.
        awaitReceipt(loud, Status.ROUTED);
        awaitReceipt(loud, Status.DELIVERED);
        awaitReceipt(loud, Status.ACKED);
        assertThat(of(quiet)).isEmpty();
        assertThat(client.pushes().get(0).request().receipt()).isFalse();
        client.close();
    }
}
