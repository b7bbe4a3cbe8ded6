package io.pushfabric.contracts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON form of a {@link Delivery} on a node topic (version 1):
 * <pre>{"v":1,"partition":3,"offset":120,"user":"alice","messageId":"m-1","createdAt":...,"expiresAt":...,"payload":{...}}</pre>
 * with {@code "broadcast":true} instead of {@code user} for a broadcast, {@code "channel":"chat:lobby"} for a
 * channel (one delivery per node, fanned out there to the node's subscribers). Written only by the dispatcher.
 */
public final class DeliveryCodec {
    public byte[] encode(Delivery delivery) {
        PushRequest r = delivery.request();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", 1);
            g.writeNumberField("partition", delivery.position().partition());
            g.writeNumberField("offset", delivery.position().offset());
            PushRequestJson.writeFields(g, r, true);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a version-1 delivery */
    public Delivery decode(byte[] value) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("delivery is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || root.path("v").asInt() != 1) {
            throw new IllegalArgumentException("delivery is not a version-1 object");
        }
        MessagePosition position = new MessagePosition(root.path("partition").asInt(-1), root.path("offset").asLong(-1));
        JsonNode user = root.get("user");
        UserId userId = user == null || user.isNull() ? null : new UserId(user.asText());
        JsonNode channel = root.get("channel");
        ChannelName channelName = channel == null || channel.isNull() ? null : new ChannelName(channel.asText());
        if (userId == null && channelName == null && !root.path("broadcast").asBoolean(false)) {
            throw new IllegalArgumentException("delivery has neither user, channel nor broadcast");
        }
        JsonNode payload = root.get("payload");
        if (payload == null) {
            throw new IllegalArgumentException("delivery has no payload");
        }
        return new Delivery(position, new PushRequest(userId, payload,
                textOrNull(root, "messageId"), longOrNull(root, "createdAt"), longOrNull(root, "expiresAt"),
                channelName, root.path("receipt").asBoolean(false)));
    }

    private static String textOrNull(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Long longOrNull(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n.asLong();
    }
}
