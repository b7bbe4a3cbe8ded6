package io.pushfabric.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An operator's command to every connector, sent on the control topic ({@link Topics#control()}):
 * <pre>{"v":1,"command":"disconnect-user","user":"alice"}
 * {"v":1,"command":"drain-node","node":"node-a"}
 * {"v":1,"command":"subscribe-user","user":"alice","channel":"chat:lobby"}
 * {"v":1,"command":"unsubscribe-user","user":"alice","channel":"chat:lobby"}</pre>
 * Every connector reads the control topic from its end at start and acts on commands meant for it.
 */
public record AdminCommand(Kind kind, UserId user, NodeId node, ChannelName channel) {
    public enum Kind {
        /** Close every session of {@code user} on every node with 4002; clients may reconnect. */
        DISCONNECT_USER("disconnect-user"),
        /** {@code node} drains: refuses new sessions and moves its clients elsewhere over the drain window. */
        DRAIN_NODE("drain-node"),
        /** Every session of {@code user} on every node subscribes to {@code channel} (from now on, no replay). */
        SUBSCRIBE_USER("subscribe-user"),
        /** Every session of {@code user} on every node leaves {@code channel}. */
        UNSUBSCRIBE_USER("unsubscribe-user");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Kind fromWire(String wire) {
            for (Kind k : values()) {
                if (k.wire.equals(wire)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown admin command '" + wire + "'");
        }
    }

    public AdminCommand {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DISCONNECT_USER && user == null) {
            throw new IllegalArgumentException("disconnect-user needs a user");
        }
        if (kind == Kind.DRAIN_NODE && node == null) {
            throw new IllegalArgumentException("drain-node needs a node");
        }
        if ((kind == Kind.SUBSCRIBE_USER || kind == Kind.UNSUBSCRIBE_USER) && (user == null || channel == null)) {
            throw new IllegalArgumentException(kind.wire() + " needs a user and a channel");
        }
    }

    public AdminCommand(Kind kind, UserId user, NodeId node) {
        this(kind, user, node, null);
    }

    public static AdminCommand subscribeUser(UserId user, ChannelName channel) {
        return new AdminCommand(Kind.SUBSCRIBE_USER, user, null, channel);
    }

    public static AdminCommand unsubscribeUser(UserId user, ChannelName channel) {
        return new AdminCommand(Kind.UNSUBSCRIBE_USER, user, null, channel);
    }

    public static AdminCommand disconnectUser(UserId user) {
        return new AdminCommand(Kind.DISCONNECT_USER, user, null);
    }

    public static AdminCommand drainNode(NodeId node) {
        return new AdminCommand(Kind.DRAIN_NODE, null, node);
    }

    public byte[] encode() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("v", 1);
        o.put("command", kind.wire());
        if (user != null) {
            o.put("user", user.value());
        }
        if (node != null) {
            o.put("node", node.value());
        }
        if (channel != null) {
            o.put("channel", channel.value());
        }
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public static AdminCommand decode(byte[] value) {
        try {
            JsonNode n = Json.MAPPER.readTree(value);
            if (n == null || n.path("v").asInt() != 1) {
                throw new IllegalArgumentException("not a version-1 admin command");
            }
            return new AdminCommand(Kind.fromWire(n.path("command").asText()),
                    n.hasNonNull("user") ? new UserId(n.get("user").asText()) : null,
                    n.hasNonNull("node") ? new NodeId(n.get("node").asText()) : null,
                    n.hasNonNull("channel") ? new ChannelName(n.get("channel").asText()) : null);
        } catch (IOException e) {
            throw new IllegalArgumentException("admin command is not JSON: " + e.getMessage(), e);
        }
    }
}
