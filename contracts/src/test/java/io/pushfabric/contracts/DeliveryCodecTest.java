package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
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
}
