package io.pushfabric.contracts.frames;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestJson;
import io.pushfabric.contracts.RawJson;
import io.pushfabric.contracts.UserId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** JSON text of the WebSocket frames (protocol version 1), for the server and for Java clients. */
public final class FrameCodec {
    /** Client frames larger than this are refused without parsing. */
    public static final int MAX_CLIENT_FRAME_CHARS = 4096;

    public String encode(ServerFrame frame) {
        return new String(encodeUtf8(frame), StandardCharsets.UTF_8);
    }

    /**
     * The frame's text as UTF-8, written as bytes: a push's payload is copied into it as the producer's bytes,
     * never decoded to characters on the way to a socket.
     */
    public byte[] encodeUtf8(ServerFrame frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (frame instanceof ServerFrame.Push p) {
                writePush(g, p);
            } else if (frame instanceof ServerFrame.Welcome w) {
                writeWelcome(g, w);
            } else if (frame instanceof ServerFrame.Error e) {
                g.writeStringField("type", "error");
                g.writeStringField("code", e.code());
                g.writeStringField("message", e.message());
            } else if (frame instanceof ServerFrame.Reconnect r) {
                g.writeStringField("type", "reconnect");
                g.writeNumberField("afterMs", r.afterMillis());
                g.writeStringField("reason", r.reason());
            } else if (frame instanceof ServerFrame.Subscribed s) {
                writeSubscribed(g, s);
            } else if (frame instanceof ServerFrame.Unsubscribed u) {
                g.writeStringField("type", "unsubscribed");
                g.writeStringField("channel", u.channel().value());
                if (u.reason() != null) {
                    g.writeStringField("reason", u.reason());
                }
            } else if (frame instanceof ServerFrame.ChannelRefused c) {
                g.writeStringField("type", "error");
                g.writeStringField("code", c.code());
                g.writeStringField("channel", c.channel());
                g.writeStringField("reason", c.reason());
                g.writeStringField("message", c.message());
            } else if (frame instanceof ServerFrame.Refreshed r) {
                g.writeStringField("type", "refreshed");
                g.writeNumberField("validUntil", r.validUntil());
            } else {
                g.writeStringField("type", "pong");
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writePush(JsonGenerator g, ServerFrame.Push p) throws IOException {
        PushRequest r = p.request();
        g.writeStringField("type", "push");
        g.writeStringField("id", p.position().id());
        g.writeNumberField("partition", p.position().partition());
        g.writeNumberField("offset", p.position().offset());
        g.writeStringField("node", p.node().value());
        PushRequestJson.writeFields(g, r, false);
    }

    private static void writeWelcome(JsonGenerator g, ServerFrame.Welcome w) throws IOException {
        g.writeStringField("type", "welcome");
        g.writeStringField("session", w.session());
        g.writeStringField("node", w.node().value());
        g.writeStringField("user", w.user().value());
        g.writeBooleanField("recovered", w.recovered());
        if (w.reason() != null) {
            g.writeStringField("reason", w.reason());
        }
        g.writeNumberField("replayed", w.replayed());
        g.writeStringField("topic", w.cursor().topicId());
        g.writeObjectFieldStart("positions");
        for (Map.Entry<Integer, Long> e : w.cursor().positions().entrySet()) {
            g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("cursor", w.cursor().format());
    }

    private static void writeSubscribed(JsonGenerator g, ServerFrame.Subscribed s) throws IOException {
        g.writeStringField("type", "subscribed");
        g.writeStringField("channel", s.channel().value());
        g.writeBooleanField("recovered", s.recovered());
        if (s.reason() != null) {
            g.writeStringField("reason", s.reason());
        }
        g.writeNumberField("replayed", s.replayed());
        g.writeStringField("topic", s.position().topicId());
        Map.Entry<Integer, Long> at = s.position().positions().entrySet().iterator().next();
        g.writeNumberField("partition", at.getKey());
        g.writeNumberField("offset", at.getValue());
        g.writeStringField("position", s.position().format());
    }

    /** Parses a server frame (for Java clients, tests and the load generator). */
    public ServerFrame decodeServer(String text) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("server frame is not JSON: " + e.getMessage(), e);
        }
        String type = n.path("type").asText();
        switch (type) {
            case "push": {
                JsonNode user = n.get("user");
                PushRequest r = new PushRequest(user == null ? null : new UserId(user.asText()),
                        RawJson.of(n.get("payload")),
                        n.hasNonNull("messageId") ? n.get("messageId").asText() : null,
                        n.hasNonNull("createdAt") ? n.get("createdAt").asLong() : null, null,
                        n.hasNonNull("channel") ? new ChannelName(n.get("channel").asText()) : null,
                        n.path("receipt").asBoolean(false));
                return new ServerFrame.Push(new MessagePosition(n.path("partition").asInt(), n.path("offset").asLong()),
                        new NodeId(n.path("node").asText()), r);
            }
            case "welcome": {
                Map<Integer, Long> positions = new TreeMap<>();
                for (Map.Entry<String, JsonNode> e : n.path("positions").properties()) {
                    positions.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
                }
                return new ServerFrame.Welcome(n.path("session").asText(), new NodeId(n.path("node").asText()),
                        new UserId(n.path("user").asText()), n.path("recovered").asBoolean(),
                        n.hasNonNull("reason") ? n.get("reason").asText() : null, n.path("replayed").asInt(),
                        new Cursor(n.path("topic").asText(), positions));
            }
            case "error":
                if (n.hasNonNull("channel")) {
                    return new ServerFrame.ChannelRefused(n.path("code").asText(), n.get("channel").asText(),
                            n.path("reason").asText(), n.path("message").asText());
                }
                return new ServerFrame.Error(n.path("code").asText(), n.path("message").asText());
            case "subscribed":
                return new ServerFrame.Subscribed(new ChannelName(n.path("channel").asText()),
                        n.path("recovered").asBoolean(), n.hasNonNull("reason") ? n.get("reason").asText() : null,
                        n.path("replayed").asInt(), Cursor.parse(n.path("position").asText()));
            case "unsubscribed":
                return new ServerFrame.Unsubscribed(new ChannelName(n.path("channel").asText()),
                        n.hasNonNull("reason") ? n.get("reason").asText() : null);
            case "reconnect":
                return new ServerFrame.Reconnect(n.path("afterMs").asLong(), n.path("reason").asText());
            case "refreshed":
                return new ServerFrame.Refreshed(n.path("validUntil").asLong());
            case "pong":
                return new ServerFrame.Pong();
            default:
                throw new IllegalArgumentException("unknown server frame type '" + type + "'");
        }
    }

    private static MessagePosition ackId(JsonNode id) throws BadFrameException {
        if (id == null || !id.isTextual()) {
            throw new BadFrameException("ack needs an 'id' string, the push's \"<partition>-<offset>\"");
        }
        try {
            return MessagePosition.parse(id.asText());
        } catch (IllegalArgumentException e) {
            throw new BadFrameException("ack id '" + id.asText() + "' is not a push id (<partition>-<offset>)");
        }
    }

    /** Parses a client frame. */
    public ClientFrame decodeClient(String text) throws BadFrameException {
        if (text.length() > MAX_CLIENT_FRAME_CHARS) {
            throw new BadFrameException("frame longer than " + MAX_CLIENT_FRAME_CHARS + " characters");
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new BadFrameException("frame is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new BadFrameException("frame must be a JSON object");
        }
        String type = n.path("type").asText("");
        if (type.equals("ping")) {
            return new ClientFrame.Ping();
        }
        if (type.equals("refresh")) {
            JsonNode token = n.get("token");
            if (token == null || !token.isTextual() || token.asText().isBlank()) {
                throw new BadFrameException("refresh needs a 'token' string");
            }
            return new ClientFrame.Refresh(token.asText());
        }
        if (type.equals("subscribe")) {
            return new ClientFrame.Subscribe(requiredText(n, type, "channel"), optionalText(n, type, "token"),
                    optionalText(n, type, "position"));
        }
        if (type.equals("unsubscribe")) {
            return new ClientFrame.Unsubscribe(requiredText(n, type, "channel"));
        }
        if (type.equals("ack")) {
            return new ClientFrame.Ack(ackId(n.get("id")));
        }
        throw new BadFrameException("unknown frame type '" + type + "'");
    }

    private static String requiredText(JsonNode n, String type, String field) throws BadFrameException {
        String text = optionalText(n, type, field);
        if (text == null) {
            throw new BadFrameException(type + " needs a '" + field + "' string");
        }
        return text;
    }

    private static String optionalText(JsonNode n, String type, String field) throws BadFrameException {
        JsonNode value = n.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadFrameException(type + ": '" + field + "' must be a string");
        }
        return value.asText();
    }
}
