package io.pushfabric.dispatcher.presence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.Json;
import io.pushfabric.registry.ChannelMembership;
import java.util.Objects;

/**
 * Who is in a channel now, as far as the limit allows.
 *
 * @param limit the most users the answer lists
 */
public record ChannelPresence(ChannelMembership members, int limit) {
    public ChannelPresence {
        Objects.requireNonNull(members, "members");
    }

    /**
     * The JSON of {@code GET /v1/channels/{channel}/presence} and {@code pushfabric presence --channel --json}:
     * {@code {"channel":"chat:lobby","members":[{"user":"alice","sessions":2}],"truncated":false,"limit":100}},
     * members sorted by user id.
     */
    public ObjectNode toJson() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("channel", members.channel().value());
        ArrayNode list = body.putArray("members");
        members.sessions().entrySet().stream()
                .sorted((a, b) -> a.getKey().value().compareTo(b.getKey().value()))
                .forEach(e -> list.addObject().put("user", e.getKey().value()).put("sessions", e.getValue()));
        body.put("truncated", members.truncated());
        body.put("limit", limit);
        return body;
    }
}
