package io.pushfabric.contracts.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final NodeId NODE = NodeId.of("node-a");
    private final FrameCodec codec = new FrameCodec();

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void welcomeSurvivesEncodeAndDecode() {
        ServerFrame.Welcome welcome = new ServerFrame.Welcome("s-1", NODE, UserId.of("alice"), true, null, 2,
                new Cursor("topic", Map.of(0, 100L, 3, 41L)));

        assertThat(codec.decodeServer(codec.encode(welcome))).isEqualTo(welcome);
    }

    @Test
    void notRecoveredWelcomeKeepsItsReason() {
        ServerFrame.Welcome welcome = new ServerFrame.Welcome("s-1", NODE, UserId.of("alice"), false, "retention", 0,
                new Cursor("topic", Map.of(3, 41L)));

        assertThat(codec.decodeServer(codec.encode(welcome))).isEqualTo(welcome);
    }

    @Test
    void welcomeCarriesTheCursorInTextForm() throws Exception {
        String text = codec.encode(new ServerFrame.Welcome("s-1", NODE, UserId.of("alice"), true, null, 0,
                new Cursor("topic", Map.of(3, 41L, 0, 100L))));

        JsonNode n = json(text);
        assertThat(n.path("cursor").asText()).isEqualTo("topic,0:100,3:41");
        assertThat(n.path("positions").path("3").asLong()).isEqualTo(41L);
        assertThat(n.has("reason")).isFalse();
    }

    @Test
    void userPushSurvivesEncodeAndDecode() throws Exception {
        ServerFrame.Push push = new ServerFrame.Push(new MessagePosition(3, 120), NODE,
                new PushRequest(UserId.of("alice"), json("{\"text\":\"hi\"}"), "m-1", 1_000L, null));

        assertThat(codec.decodeServer(codec.encode(push))).isEqualTo(push);
    }

    @Test
    void broadcastPushSurvivesEncodeAndDecode() throws Exception {
        ServerFrame.Push push = new ServerFrame.Push(new MessagePosition(0, 7), NODE,
                PushRequest.broadcast(json("[1,2,3]")));

        ServerFrame decoded = codec.decodeServer(codec.encode(push));

        assertThat(decoded).isEqualTo(push);
        assertThat(((ServerFrame.Push) decoded).request().isBroadcast()).isTrue();
    }

    @Test
    void pushFrameIdIsThePosition() throws Exception {
        String text = codec.encode(new ServerFrame.Push(new MessagePosition(3, 120), NODE,
                PushRequest.toUser(UserId.of("alice"), json("1"))));

        assertThat(json(text).path("id").asText()).isEqualTo("3-120");
        assertThat(json(text).path("type").asText()).isEqualTo("push");
    }

    @Test
    void errorSurvivesEncodeAndDecode() {
        ServerFrame.Error error = new ServerFrame.Error("bad_frame", "frame is not JSON");

        assertThat(codec.decodeServer(codec.encode(error))).isEqualTo(error);
    }

    @Test
    void reconnectSurvivesEncodeAndDecode() {
        ServerFrame.Reconnect reconnect = new ServerFrame.Reconnect(2_500L, "drain");

        assertThat(codec.decodeServer(codec.encode(reconnect))).isEqualTo(reconnect);
    }

    @Test
    void pongSurvivesEncodeAndDecode() {
        assertThat(codec.decodeServer(codec.encode(new ServerFrame.Pong()))).isEqualTo(new ServerFrame.Pong());
    }

    @Test
    void unknownServerFrameTypeIsNamed() {
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"hello\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown server frame type 'hello'");
    }

    @Test
    void clientPingIsAccepted() throws Exception {
        assertThat(codec.decodeClient("{\"type\":\"ping\"}")).isEqualTo(new ClientFrame.Ping());
    }

    @Test
    void clientPingWithExtraFieldsIsAccepted() throws Exception {
        assertThat(codec.decodeClient("{\"type\":\"ping\",\"t\":123}")).isInstanceOf(ClientFrame.Ping.class);
    }

    @Test
    void clientRefreshCarriesItsTokenAndNeedsOne() throws Exception {
        assertThat(codec.decodeClient("{\"type\":\"refresh\",\"token\":\"a.b.c\"}"))
                .isEqualTo(new ClientFrame.Refresh("a.b.c"));
        assertThatThrownBy(() -> codec.decodeClient("{\"type\":\"refresh\"}"))
                .isInstanceOf(BadFrameException.class)
                .hasMessage("refresh needs a 'token' string");
    }

    @Test
    void refreshedRoundTrips() {
        assertThat(codec.encode(new ServerFrame.Refreshed(1764070000000L)))
                .isEqualTo("{\"type\":\"refreshed\",\"validUntil\":1764070000000}");
        assertThat(codec.decodeServer(codec.encode(new ServerFrame.Refreshed(5)))).isEqualTo(new ServerFrame.Refreshed(5));
    }

    @Test
    void clientNonJsonIsABadFrame() {
        assertThatThrownBy(() -> codec.decodeClient("ping"))
                .isInstanceOf(BadFrameException.class)
                .hasMessage("frame is not JSON");
    }

    @Test
    void clientNonObjectIsABadFrame() {
        assertThatThrownBy(() -> codec.decodeClient("[\"ping\"]"))
                .isInstanceOf(BadFrameException.class)
                .hasMessage("frame must be a JSON object");
    }

    @Test
    void clientUnknownTypeIsABadFrameNamingIt() {
        assertThatThrownBy(() -> codec.decodeClient("{\"type\":\"hello\"}"))
                .isInstanceOf(BadFrameException.class)
                .hasMessage("unknown frame type 'hello'");
        assertThatThrownBy(() -> codec.decodeClient("{}"))
                .isInstanceOf(BadFrameException.class)
                .hasMessage("unknown frame type ''");
    }

    @Test
    void clientOversizedFrameIsRefusedWithoutParsing() {
        String oversized = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(FrameCodec.MAX_CLIENT_FRAME_CHARS) + "\"}";

        assertThatThrownBy(() -> codec.decodeClient(oversized))
                .isInstanceOf(BadFrameException.class)
                .hasMessage("frame longer than 4096 characters");
    }
}
