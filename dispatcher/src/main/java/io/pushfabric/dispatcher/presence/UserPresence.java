package io.pushfabric.dispatcher.presence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Whether a user is online now: the sessions the registry holds for them on live nodes, counted per node.
 *
 * @param sessionsByNode sessions per live node, sorted by node id; empty when the user is offline
 */
public record UserPresence(UserId user, Map<NodeId, Integer> sessionsByNode) {
    public UserPresence {
        Objects.requireNonNull(user, "user");
        TreeMap<NodeId, Integer> sorted = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
        sorted.putAll(sessionsByNode);
        sessionsByNode = java.util.Collections.unmodifiableMap(sorted);
    }

    public boolean online() {
        return !sessionsByNode.isEmpty();
    }

    public int sessions() {
        return sessionsByNode.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * The JSON of {@code GET /v1/presence/{user}} and {@code pushfabric presence --json}:
     * {@code {"user":"alice","online":true,"sessions":2,"nodes":[{"node":"node-a","sessions":2}]}}.
     */
    public ObjectNode toJson() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("user", user.value());
        body.put("online", online());
        body.put("sessions", sessions());
        ArrayNode nodes = body.putArray("nodes");
        sessionsByNode.forEach((node, count) -> nodes.addObject().put("node", node.value()).put("sessions", count));
        return body;
    }
}
