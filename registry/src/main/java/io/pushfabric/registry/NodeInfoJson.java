package io.pushfabric.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.NodeId;

/**
 * The JSON form of {@link NodeInfo} kept in Redis:
 * {@code {"id":"node-1","address":"10.0.0.7:8080","startedAt":1700000000000,"sessions":42,"heartbeatAt":1700000005000}}.
 * Unknown fields are ignored on read, so a newer node may add fields without breaking older readers.
 */
final class NodeInfoJson {
    /** The wire shape: the node id flat, not as a nested {@code {"value":...}} object. */
    private record Wire(String id, String address, long startedAt, int sessions, long heartbeatAt) {
    }

    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(Wire.class);
    private static final ObjectReader READER = Json.MAPPER.readerFor(Wire.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private NodeInfoJson() {
    }

    static String write(NodeInfo node) {
        try {
            return WRITER.writeValueAsString(new Wire(node.id().value(), node.address(), node.startedAt(),
                    node.sessions(), node.heartbeatAt()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write node info of " + node.id(), e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a node info */
    static NodeInfo read(String json) {
        try {
            Wire wire = READER.readValue(json);
            if (wire == null || wire.id() == null || wire.address() == null) {
                throw new IllegalArgumentException("node info without id or address: " + json);
            }
            return new NodeInfo(NodeId.of(wire.id()), wire.address(), wire.startedAt(), wire.sessions(),
                    wire.heartbeatAt());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable node info: " + e.getMessage(), e);
        }
    }
}
