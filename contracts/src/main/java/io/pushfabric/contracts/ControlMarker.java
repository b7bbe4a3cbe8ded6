package io.pushfabric.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A record a connector writes into {@code push-requests} itself, marked by the {@link #HEADER} header,
 * to fence the dispatcher's route cache in-band. A dispatcher that reads a marker drops what it has
 * cached for the user (or, for {@link Kind#NODE_JOINED}, its list of live nodes) before it handles any
 * later record of that partition. Because the connector writes the marker only after the route is in
 * Redis, every message appended after the marker is resolved with the new route. Markers are never
 * delivered to clients and are skipped by replay.
 *
 * <p>{@link Kind#SUBSCRIPTION_OPENED} does the same for a channel: the connector writes it, keyed by the
 * channel's routing key, after its node's channel route is in Redis; its offset is the fence of the
 * subscription that wrote it.
 *
 * @param user    the user whose routes changed (only for {@link Kind#SESSION_OPENED})
 * @param channel the channel whose routes changed (only for {@link Kind#SUBSCRIPTION_OPENED})
 */
public record ControlMarker(Kind kind, UserId user, NodeId node, ChannelName channel) {
    /** Header present (with the kind's wire name as value) on every control record. */
    public static final String HEADER = "pf-control";

    public enum Kind {
        SESSION_OPENED("session-opened"),
        NODE_JOINED("node-joined"),
        SUBSCRIPTION_OPENED("subscription-opened");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Kind fromWire(String wire) {
            for (Kind k : values()) {
                if (k.wire.equals(wire)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown control marker '" + wire + "'");
        }
    }

    public ControlMarker {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(node, "node");
        if (kind == Kind.SESSION_OPENED && user == null) {
            throw new IllegalArgumentException("a session-opened marker names its user");
        }
        if (kind == Kind.SUBSCRIPTION_OPENED && channel == null) {
            throw new IllegalArgumentException("a subscription-opened marker names its channel");
        }
    }

    public ControlMarker(Kind kind, UserId user, NodeId node) {
        this(kind, user, node, null);
    }

    public static ControlMarker subscriptionOpened(ChannelName channel, NodeId node) {
        return new ControlMarker(Kind.SUBSCRIPTION_OPENED, null, node, channel);
    }

    public static ControlMarker sessionOpened(UserId user, NodeId node) {
        return new ControlMarker(Kind.SESSION_OPENED, user, node);
    }

    public static ControlMarker nodeJoined(NodeId node) {
        return new ControlMarker(Kind.NODE_JOINED, null, node);
    }

    public byte[] encode() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("v", 1);
        o.put("control", kind.wire());
        if (user != null) {
            o.put("user", user.value());
        }
        if (channel != null) {
            o.put("channel", channel.value());
        }
        o.put("node", node.value());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static ControlMarker decode(byte[] value) {
        try {
            JsonNode n = Json.MAPPER.readTree(value);
            JsonNode user = n.get("user");
            JsonNode channel = n.get("channel");
            return new ControlMarker(Kind.fromWire(n.path("control").asText()),
                    user == null || user.isNull() ? null : new UserId(user.asText()),
                    new NodeId(n.path("node").asText()),
                    channel == null || channel.isNull() ? null : new ChannelName(channel.asText()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("bad control marker: " + e.getMessage(), e);
        }
    }
}
