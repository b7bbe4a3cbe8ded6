package io.pushfabric.contracts.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.DeliveryCodec;
import io.pushfabric.contracts.InvalidPushRequestException;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import io.pushfabric.contracts.frames.BadFrameException;
import io.pushfabric.contracts.frames.ClientFrame;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receipt flag on requests, deliveries and push frames; the ack frame; the receipt record's JSON. */
class ReceiptWireTest {
    private static final MessagePosition AT = new MessagePosition(3, 120);
    private static final NodeId NODE = NodeId.of("node-a");
    private final ReceiptCodec receipts = new ReceiptCodec();
    private final FrameCodec frames = new FrameCodec();

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void requestAskingForReceiptsKeepsTheFlagOnTheWayThroughRequestDeliveryAndPushFrame() throws Exception {
        PushRequestCodec codec = new PushRequestCodec();
        PushRequest decoded = codec.decode("alice",
                "{\"v\":1,\"user\":\"alice\",\"payload\":{},\"receipt\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(decoded.receipt()).isTrue();
        assertThat(codec.decode("alice", codec.encode(decoded))).isEqualTo(decoded);

        DeliveryCodec deliveries = new DeliveryCodec();
        Delivery delivery = new Delivery(AT, decoded);
        assertThat(deliveries.decode(deliveries.encode(delivery))).isEqualTo(delivery);

        String push = frames.encode(new ServerFrame.Push(AT, NODE, decoded));
        assertThat(json(push).path("receipt").asBoolean()).isTrue();
        assertThat(((ServerFrame.Push) frames.decodeServer(push)).request().receipt()).isTrue();
    }

    @Test
    void requestWithoutTheFieldHasNoReceiptAndWritesNone() throws Exception {
        PushRequest plain = PushRequest.toUser(UserId.of("alice"), json("{}"));
        assertThat(plain.receipt()).isFalse();
        assertThat(new String(new PushRequestCodec().encode(plain), StandardCharsets.UTF_8)).doesNotContain("receipt");
    }

    @Test
    void receiptFieldThatIsNotABooleanIsBadSchema() {
        assertThatThrownBy(() -> new PushRequestCodec().decode("alice",
                "{\"v\":1,\"user\":\"alice\",\"payload\":{},\"receipt\":\"yes\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidPushRequestException.class)
                .hasMessageContaining("field 'receipt' must be a boolean");
    }

    @Test
    void ackFrameNamesThePushItAcknowledges() throws Exception {
        assertThat(frames.decodeClient("{\"type\":\"ack\",\"id\":\"3-120\"}")).isEqualTo(new ClientFrame.Ack(AT));
    }

    @Test
    void ackWithoutAPushIdIsABadFrame() {
        assertThatThrownBy(() -> frames.decodeClient("{\"type\":\"ack\"}"))
                .isInstanceOf(BadFrameException.class).hasMessageContaining("ack needs an 'id' string");
        assertThatThrownBy(() -> frames.decodeClient("{\"type\":\"ack\",\"id\":\"three\"}"))
                .isInstanceOf(BadFrameException.class).hasMessage("ack id 'three' is not a push id (<partition>-<offset>)");
        assertThatThrownBy(() -> frames.decodeClient("{\"type\":\"ack\",\"id\":120}"))
                .isInstanceOf(BadFrameException.class);
    }

    @Test
    void everyKindOfReceiptSurvivesEncodeAndDecode() {
        List<Receipt> all = List.of(
                Receipt.routed(AT, "alice", "m-1", 10, List.of(NODE, NodeId.of("node-b"))),
                Receipt.delivered(AT, "alice", "m-1", 11, NODE, 2),
                Receipt.of(Receipt.Status.OFFLINE, AT, "alice", null, 12),
                Receipt.of(Receipt.Status.EXPIRED, AT, "*", "b-1", 13),
                Receipt.of(Receipt.Status.DUPLICATE, AT, "alice", "m-1", 14),
                Receipt.rejected(AT, null, null, 15, "KEY_MISMATCH", "record key null must equal the routing key 'x'"),
                Receipt.acked(AT, "alice", "m-1", 16, NODE, "s-1"));
        for (Receipt r : all) {
            assertThat(receipts.decode(receipts.encode(r))).isEqualTo(r);
        }
    }

    @Test
    void deliveredReceiptReadsAsDocumented() throws Exception {
        JsonNode n = Json.MAPPER.readTree(receipts.encode(Receipt.delivered(AT, "alice", "m-1", 11, NODE, 2)));

        assertThat(n.path("status").asText()).isEqualTo("delivered");
        assertThat(n.path("id").asText()).isEqualTo("3-120");
        assertThat(n.path("key").asText()).isEqualTo("alice");
        assertThat(n.path("node").asText()).isEqualTo("node-a");
        assertThat(n.path("sessions").asInt()).isEqualTo(2);
        assertThat(n.has("nodes")).isFalse();
        assertThat(n.has("reason")).isFalse();
    }

    @Test
    void modeDecidesWhichRequestsGetReceipts() throws Exception {
        PushRequest asks = PushRequest.toUser(UserId.of("a"), json("1")).withReceipt(true);
        PushRequest silent = PushRequest.toUser(UserId.of("a"), json("1"));

        assertThat(ReceiptMode.REQUESTED.wants(asks)).isTrue();
        assertThat(ReceiptMode.REQUESTED.wants(silent)).isFalse();
        assertThat(ReceiptMode.ALL.wants(silent)).isTrue();
        assertThat(ReceiptMode.OFF.wants(asks)).isFalse();
    }

    @Test
    void settingsHaveDefaultsAndNameABadValue() {
        ReceiptSettings defaults = ReceiptSettings.fromEnv(new Env(Map.of()));
        assertThat(defaults).isEqualTo(new ReceiptSettings(ReceiptMode.REQUESTED, "push-receipts", 100_000, 256,
                Duration.ofDays(1)));
        assertThat(ReceiptSettings.fromEnv(new Env(Map.of("PUSH_RECEIPTS", "ALL"))).mode()).isEqualTo(ReceiptMode.ALL);
        assertThatThrownBy(() -> ReceiptSettings.fromEnv(new Env(Map.of("PUSH_RECEIPTS", "sometimes"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PUSH_RECEIPTS must be one of requested, all, off; was 'sometimes'");
    }
}
