package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Old and new dispatchers and connectors share topics during a rolling upgrade: the records below are byte for
 * byte what the tree-based codecs (before the payload travelled raw) wrote, and both directions must keep working.
 */
class WireFormsUnchangedTest {
    private static final String PAYLOAD = "{\"text\":\"hi\",\"n\":[1,2.5,null]}";
    private static final String OLD_REQUEST = "{\"v\":1,\"user\":\"alice\",\"messageId\":\"m-1\",\"createdAt\":1000,"
            + "\"expiresAt\":2000,\"receipt\":true,\"payload\":" + PAYLOAD + "}";
    private static final String OLD_USER_DELIVERY = "{\"v\":1,\"partition\":3,\"offset\":120,\"user\":\"alice\","
            + "\"messageId\":\"m-1\",\"createdAt\":1000,\"expiresAt\":2000,\"receipt\":true,\"payload\":" + PAYLOAD + "}";
    private static final String OLD_CHANNEL_DELIVERY = "{\"v\":1,\"partition\":7,\"offset\":1240,"
            + "\"channel\":\"chat:lobby\",\"messageId\":\"m-2\",\"payload\":{\"text\":\"hi\"}}";
    private static final String OLD_BROADCAST_DELIVERY = "{\"v\":1,\"partition\":0,\"offset\":7,\"broadcast\":true,"
            + "\"payload\":\"all\"}";
    private static final String OLD_PUSH_FRAME = "{\"type\":\"push\",\"id\":\"3-120\",\"partition\":3,\"offset\":120,"
            + "\"node\":\"node-a\",\"user\":\"alice\",\"messageId\":\"m-1\",\"createdAt\":1000,\"receipt\":true,"
            + "\"payload\":" + PAYLOAD + "}";

    private final PushRequestCodec requests = new PushRequestCodec();
    private final DeliveryCodec deliveries = new DeliveryCodec();

    private static JsonNode tree(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private static PushRequest userRequest() throws Exception {
        return new PushRequest(UserId.of("alice"), tree(PAYLOAD), "m-1", 1000L, 2000L, true);
    }

    private static Delivery userDelivery() throws Exception {
        return new Delivery(new MessagePosition(3, 120), userRequest());
    }

    private static Delivery channelDelivery() throws Exception {
        return new Delivery(new MessagePosition(7, 1240), new PushRequest(null, tree("{\"text\":\"hi\"}"), "m-2",
                null, null, ChannelName.of("chat:lobby")));
    }

    private static Delivery broadcastDelivery() throws Exception {
        return new Delivery(new MessagePosition(0, 7), PushRequest.broadcast(tree("\"all\"")));
    }

    @Test
    void recordsWrittenTheOldWayAreStillRead() throws Exception {
        assertThat(requests.decode("alice", OLD_REQUEST.getBytes(StandardCharsets.UTF_8))).isEqualTo(userRequest());
        assertThat(deliveries.decodeRecord(OLD_USER_DELIVERY.getBytes(StandardCharsets.UTF_8), told -> { }))
                .containsExactly(userDelivery());
        String oldBatch = "{\"v\":2,\"deliveries\":[" + OLD_USER_DELIVERY + "," + OLD_CHANNEL_DELIVERY + ","
                + OLD_BROADCAST_DELIVERY + "]}";
        assertThat(deliveries.decodeRecord(oldBatch.getBytes(StandardCharsets.UTF_8), told -> { }))
                .containsExactly(userDelivery(), channelDelivery(), broadcastDelivery());
    }

    @Test
    void recordsAndFramesWrittenNowAreTheBytesTheOldCodeWrote() throws Exception {
        assertThat(new String(requests.encode(userRequest()), StandardCharsets.UTF_8)).isEqualTo(OLD_REQUEST);
        assertThat(new String(deliveries.encode(userDelivery()), StandardCharsets.UTF_8)).isEqualTo(OLD_USER_DELIVERY);
        assertThat(new String(deliveries.encode(channelDelivery()), StandardCharsets.UTF_8))
                .isEqualTo(OLD_CHANNEL_DELIVERY);
        assertThat(new String(deliveries.encode(broadcastDelivery()), StandardCharsets.UTF_8))
                .isEqualTo(OLD_BROADCAST_DELIVERY);
        assertThat(new FrameCodec().encode(new ServerFrame.Push(new MessagePosition(3, 120), NodeId.of("node-a"),
                userRequest()))).isEqualTo(OLD_PUSH_FRAME);
    }

    @Test
    void aBatchOfRawPayloadsIsReadByTheOldTreeDecoding() throws Exception {
        String raw = "{ \"n\" : 1.10, \"big\": 123456789012345678901234567890 }";
        PushRequest request = requests.decode("alice", ("{\"v\":1,\"user\":\"alice\",\"payload\":" + raw + "}")
                .getBytes(StandardCharsets.UTF_8));
        byte[] batch = DeliveryCodec.batch(List.of(deliveries.encode(new Delivery(new MessagePosition(1, 2), request)),
                deliveries.encode(broadcastDelivery())));

        JsonNode old = Json.MAPPER.readTree(batch); // what an older connector does with the record
        assertThat(old.path("v").asInt()).isEqualTo(2);
        assertThat(old.get("deliveries").get(0).get("payload")).isEqualTo(tree(raw));
        assertThat(old.get("deliveries").get(0).get("user").asText()).isEqualTo("alice");
        assertThat(old.get("deliveries").get(1).get("payload")).isEqualTo(tree("\"all\""));
    }
}
