package io.pushfabric.contracts.receipts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link Receipt} on {@code push-receipts} (version 1):
 * <pre>{"v":1,"status":"delivered","id":"3-120","partition":3,"offset":120,"key":"alice","messageId":"m-1",
 *  "at":1764070000123,"node":"node-a","sessions":2}</pre>
 * Fields that do not apply to a status are left out. Consumers ignore fields they do not know.
 */
public final class ReceiptCodec {
    public static final int VERSION = 1;

    public byte[] encode(Receipt r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(192);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("status", r.status().wire());
            g.writeStringField("id", r.position().id());
            g.writeNumberField("partition", r.position().partition());
            g.writeNumberField("offset", r.position().offset());
            optional(g, "key", r.key());
            optional(g, "messageId", r.messageId());
            g.writeNumberField("at", r.at());
            if (r.status() == Receipt.Status.ROUTED) {
                g.writeArrayFieldStart("nodes");
                for (NodeId n : r.nodes()) {
                    g.writeString(n.value());
                }
                g.writeEndArray();
            }
            optional(g, "node", r.node() == null ? null : r.node().value());
            if (r.status() == Receipt.Status.DELIVERED) {
                g.writeNumberField("sessions", r.sessions());
            }
            optional(g, "session", r.session());
            optional(g, "reason", r.reason());
            optional(g, "detail", r.detail());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** For consumers in Java and the tests. @throws IllegalArgumentException when it is not a version-1 receipt */
    public Receipt decode(byte[] value) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("receipt is not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject() || n.path("v").asInt() != VERSION) {
            throw new IllegalArgumentException("receipt is not a version-1 object");
        }
        List<NodeId> nodes = new ArrayList<>();
        n.path("nodes").forEach(node -> nodes.add(NodeId.of(node.asText())));
        return new Receipt(Receipt.Status.ofWire(n.path("status").asText()),
                new MessagePosition(n.path("partition").asInt(-1), n.path("offset").asLong(-1)),
                text(n, "key"), text(n, "messageId"), n.path("at").asLong(), nodes,
                n.hasNonNull("node") ? NodeId.of(n.get("node").asText()) : null, n.path("sessions").asInt(0),
                text(n, "session"), text(n, "reason"), text(n, "detail"));
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
