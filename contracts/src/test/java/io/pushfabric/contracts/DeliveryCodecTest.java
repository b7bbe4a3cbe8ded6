package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryCodecTest {
    private final DeliveryCodec codec = new DeliveryCodec();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void userDeliveryWithEveryFieldSurvivesEncodeAndDecode() throws Exception {
        Delivery delivery = new Delivery(new MessagePosition(3, 120), new PushRequest(UserId.of("alice"),
                Json.MAPPER.readTree("{\"text\":\"hi\",\"list\":[1,true,null]}"), "m-1", 1_000L, 2_000L));

        assertThat(codec.decode(codec.encode(delivery))).isEqualTo(delivery);
    }

    @Test
    void broadcastDeliverySurvivesEncodeAndDecode() {
        Delivery delivery = new Delivery(new MessagePosition(0, 7), PushRequest.broadcast(TextNode.valueOf("all")));

        Delivery decoded = codec.decode(codec.encode(delivery));

        assertThat(decoded).isEqualTo(delivery);
        assertThat(decoded.request().isBroadcast()).isTrue();
    }

    @Test
    void nonJsonIsRejected() {
        assertThatThrownBy(() -> codec.decode(bytes("not json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("delivery is not JSON");
    }

    @Test
    void otherVersionIsRejected() {
        assertThatThrownBy(() -> codec.decode(bytes("{\"v\":2,\"partition\":0,\"offset\":1,\"user\":\"a\",\"payload\":1}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delivery is not a version-1 object");
    }

    @Test
    void deliveryWithoutTargetIsRejected() {
        assertThatThrownBy(() -> codec.decode(bytes("{\"v\":1,\"partition\":0,\"offset\":1,\"payload\":1}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delivery has neither user, channel nor broadcast");
    }

    @Test
    void deliveryWithoutPayloadIsRejected() {
        assertThatThrownBy(() -> codec.decode(bytes("{\"v\":1,\"partition\":0,\"offset\":1,\"user\":\"a\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delivery has no payload");
    }

    @Test
    void deliveryWithoutPositionIsRejected() {
        assertThatThrownBy(() -> codec.decode(bytes("{\"v\":1,\"user\":\"a\",\"payload\":1}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partition must be >= 0");
    }

    private static Delivery toAlice(long offset) {
        return new Delivery(new MessagePosition(0, offset), PushRequest.toUser(UserId.of("alice"), TextNode.valueOf("m" + offset)));
    }

    @Test
    void batchRecordCarriesItsDeliveriesInOrderAndItsSizeIsKnownBeforehand() {
        List<byte[]> encoded = List.of(codec.encode(toAlice(5)), codec.encode(toAlice(6)), codec.encode(toAlice(9)));
        long total = encoded.stream().mapToLong(e -> e.length).sum();

        byte[] record = DeliveryCodec.batch(encoded);

        assertThat((long) record.length).isEqualTo(DeliveryCodec.batchBytes(3, total));
        assertThat(codec.decodeRecord(record, unreadable -> { throw new AssertionError(unreadable); }))
                .containsExactly(toAlice(5), toAlice(6), toAlice(9));
    }

    @Test
    void singleDeliveryRecordOfAnOlderDispatcherIsStillRead() {
        assertThat(codec.decodeRecord(codec.encode(toAlice(1)), unreadable -> { throw new AssertionError(unreadable); }))
                .containsExactly(toAlice(1));
    }

    @Test
    void unreadableDeliveryInABatchIsLeftOutAloneAndTold() {
        byte[] record = DeliveryCodec.batch(List.of(codec.encode(toAlice(1)),
                bytes("{\"v\":1,\"partition\":0,\"offset\":2,\"user\":\"a\"}"), codec.encode(toAlice(3))));
        List<String> told = new ArrayList<>();

        assertThat(codec.decodeRecord(record, told::add)).containsExactly(toAlice(1), toAlice(3));
        assertThat(told).containsExactly("delivery 1 of 3 in the batch: delivery has no payload");
    }

    @Test
    void batchWithoutDeliveriesArrayIsRejectedAsAWhole() {
        assertThatThrownBy(() -> codec.decodeRecord(bytes("{\"v\":2,\"deliveries\":{}}"), told -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delivery batch has no deliveries array");
        assertThatThrownBy(() -> codec.decodeRecord(bytes("[1,2]"), told -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delivery is not a version-1 object");
    }

    @Test
    void payloadAsDeepAsARequestMayBeStillFitsInABatch() throws Exception {
        int depth = 199; // the request object plus this payload reach the push-requests limit of 200
        String payload = "[".repeat(depth) + "]".repeat(depth);
        PushRequest request = new PushRequestCodec().decode("alice",
                bytes("{\"v\":1,\"user\":\"alice\",\"payload\":" + payload + "}"));
        Delivery deep = new Delivery(new MessagePosition(0, 1), request);

        byte[] record = DeliveryCodec.batch(List.of(codec.encode(deep), codec.encode(toAlice(2))));

        assertThat(codec.decodeRecord(record, unreadable -> { throw new AssertionError(unreadable); }))
                .containsExactly(deep, toAlice(2));
    }
}
