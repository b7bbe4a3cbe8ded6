package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.InvalidPushRequestException.Reason;
import io.pushfabric.contracts.frames.ClientFrame;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire forms of channels: names, routing keys, requests, deliveries, markers, frames. */
class ChannelContractsTest {
    private static final ChannelName LOBBY = ChannelName.of("chat:lobby");
    private final PushRequestCodec codec = new PushRequestCodec();
    private final FrameCodec frames = new FrameCodec();

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void channelKeysNeverMeetUserOrBroadcastKeys() {
        assertThat(LOBBY.routingKey()).isEqualTo("#chat:lobby");
        assertThat(LOBBY.namespace()).isEqualTo("chat");
        assertThat(ChannelName.of("news").namespace()).isNull();
        assertThatThrownBy(() -> UserId.of("#chat:lobby")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved for channel routing keys");
        assertThatThrownBy(() -> ChannelName.of("#x")).hasMessageContaining("must not start with '#'");
        assertThatThrownBy(() -> ChannelName.of("a b")).hasMessageContaining("at index 1");
        assertThatThrownBy(() -> ChannelName.of("a{b}")).hasMessageContaining("at index 1");
        assertThatThrownBy(() -> ChannelName.of("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ChannelName.of("x".repeat(201))).hasMessageContaining("longer than 200");
    }

    @Test
    void channelRequestRoundTripsKeyedByItsChannelKey() throws Exception {
        PushRequest request = PushRequest.toChannel(LOBBY, json("{\"text\":\"hi\"}")).withMessageId("m-1");
        byte[] bytes = codec.encode(request);

        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"channel\":\"chat:lobby\",\"messageId\":\"m-1\",\"payload\":{\"text\":\"hi\"}}");
        assertThat(RoutingKeys.of(request)).isEqualTo("#chat:lobby");
        PushRequest decoded = codec.decode("#chat:lobby", bytes);
        assertThat(decoded).isEqualTo(request);
        assertThat(decoded.isChannel()).isTrue();
        assertThat(decoded.isBroadcast()).isFalse();
    }

    @Test
    void badChannelRequestsAreRejectedWithAReason() {
        assertThat(rejection("#chat:lobby", "{\"v\":1,\"channel\":\"chat:lobby\",\"user\":\"alice\",\"payload\":1}"))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SCHEMA))
                .satisfies(e -> assertThat(e.detail()).contains("exactly one of"));
        assertThat(rejection("#a b", "{\"v\":1,\"channel\":\"a b\",\"payload\":1}").reason()).isEqualTo(Reason.BAD_SCHEMA);
        assertThat(rejection("#x", "{\"v\":1,\"channel\":7,\"payload\":1}").detail()).contains("'channel' must be a string");
        assertThat(rejection("chat:lobby", "{\"v\":1,\"channel\":\"chat:lobby\",\"payload\":1}").reason())
                .isEqualTo(Reason.KEY_MISMATCH);
        assertThat(rejection("#alice", "{\"v\":1,\"user\":\"#alice\",\"payload\":1}").detail())
                .contains("reserved for channel routing keys");
    }

    private InvalidPushRequestException rejection(String key, String value) {
        try {
            codec.decode(key, value.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidPushRequestException e) {
            return e;
        }
        throw new AssertionError("accepted: " + value);
    }

    @Test
    void channelDeliveryRoundTrips() throws Exception {
        Delivery delivery = new Delivery(new MessagePosition(7, 1240), PushRequest.toChannel(LOBBY, json("[1]")));
        DeliveryCodec deliveries = new DeliveryCodec();
        assertThat(deliveries.decode(deliveries.encode(delivery))).isEqualTo(delivery);
    }

    @Test
    void subscriptionOpenedMarkerRoundTrips() {
        ControlMarker marker = ControlMarker.subscriptionOpened(LOBBY, NodeId.of("node-a"));
        assertThat(new String(marker.encode(), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"control\":\"subscription-opened\",\"channel\":\"chat:lobby\",\"node\":\"node-a\"}");
        assertThat(ControlMarker.decode(marker.encode())).isEqualTo(marker);
    }

    @Test
    void channelAdminCommandsRoundTrip() {
        AdminCommand subscribe = AdminCommand.subscribeUser(UserId.of("alice"), LOBBY);
        assertThat(new String(subscribe.encode(), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"command\":\"subscribe-user\",\"user\":\"alice\",\"channel\":\"chat:lobby\"}");
        assertThat(AdminCommand.decode(subscribe.encode())).isEqualTo(subscribe);
        assertThatThrownBy(() -> AdminCommand.decode("{\"v\":1,\"command\":\"unsubscribe-user\",\"user\":\"a\"}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("needs a user and a channel");
    }

    @Test
    void subscribeFramesParse() throws Exception {
        assertThat(frames.decodeClient("{\"type\":\"subscribe\",\"channel\":\"chat:lobby\",\"position\":\"t,7:12\"}"))
                .isEqualTo(new ClientFrame.Subscribe("chat:lobby", null, "t,7:12"));
        assertThat(frames.decodeClient("{\"type\":\"unsubscribe\",\"channel\":\"chat:lobby\"}"))
                .isEqualTo(new ClientFrame.Unsubscribe("chat:lobby"));
        assertThatThrownBy(() -> frames.decodeClient("{\"type\":\"subscribe\"}"))
                .hasMessage("subscribe needs a 'channel' string");
        assertThatThrownBy(() -> frames.decodeClient("{\"type\":\"subscribe\",\"channel\":\"x\",\"token\":5}"))
                .hasMessage("subscribe: 'token' must be a string");
    }

    @Test
    void channelServerFramesHaveTheDocumentedForm() throws Exception {
        ServerFrame.Subscribed subscribed = new ServerFrame.Subscribed(LOBBY, true, null, 2,
                new Cursor("qqLDLCehSoe0hywRRZqymw", Map.of(7, 1234L)));
        String text = frames.encode(subscribed);
        assertThat(text).isEqualTo("{\"type\":\"subscribed\",\"channel\":\"chat:lobby\",\"recovered\":true,\"replayed\":2,"
                + "\"topic\":\"qqLDLCehSoe0hywRRZqymw\",\"partition\":7,\"offset\":1234,"
                + "\"position\":\"qqLDLCehSoe0hywRRZqymw,7:1234\"}");
        assertThat(frames.decodeServer(text)).isEqualTo(subscribed);

        ServerFrame.ChannelRefused refused = new ServerFrame.ChannelRefused("subscribe_refused", "x y", "bad_channel", "m");
        assertThat(frames.encode(refused)).isEqualTo(
                "{\"type\":\"error\",\"code\":\"subscribe_refused\",\"channel\":\"x y\",\"reason\":\"bad_channel\",\"message\":\"m\"}");
        assertThat(frames.decodeServer(frames.encode(refused))).isEqualTo(refused);
        assertThat(frames.encode(new ServerFrame.Unsubscribed(LOBBY, "server")))
                .isEqualTo("{\"type\":\"unsubscribed\",\"channel\":\"chat:lobby\",\"reason\":\"server\"}");

        ServerFrame.Push push = new ServerFrame.Push(new MessagePosition(7, 1240), NodeId.of("node-a"),
                PushRequest.toChannel(LOBBY, json("{\"t\":1}")));
        assertThat(frames.encode(push)).isEqualTo("{\"type\":\"push\",\"id\":\"7-1240\",\"partition\":7,\"offset\":1240,"
                + "\"node\":\"node-a\",\"channel\":\"chat:lobby\",\"payload\":{\"t\":1}}");
        assertThat(frames.decodeServer(frames.encode(push))).isEqualTo(push);
    }
}
