package io.pushfabric.contracts.receipts;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import java.util.List;
import java.util.Objects;

/**
 * What became of one push request, as a record of {@code push-receipts}: linked to the request by its position
 * in {@code push-requests} and its {@code messageId}, keyed by its routing key. The JSON form is in
 * {@code docs/protocol.md} (Receipts).
 *
 * @param status    what happened
 * @param position  the request's position in {@code push-requests}: its identity
 * @param key       the request's record key (the routing key: the user id, or {@code *}); null only for a rejected
 *                  record that had none
 * @param messageId the producer's id, or null
 * @param at        when it happened (epoch millis)
 * @param nodes     {@code routed}: the nodes the request was sent to; else empty
 * @param node      {@code delivered}, {@code acked}: the node that reports it; else null
 * @param sessions  {@code delivered}: the sessions of the target open on {@code node} that got it; else 0
 * @param session   {@code acked}: the session that acknowledged it; else null
 * @param reason    {@code rejected}: the dead-letter reason; else null
 * @param detail    {@code rejected}: the dead-letter detail; else null
 */
public record Receipt(Status status, MessagePosition position, String key, String messageId, long at,
                      List<NodeId> nodes, NodeId node, int sessions, String session, String reason, String detail) {

    /** The kinds of receipt; {@link #wire()} is the JSON value. */
    public enum Status {
        /** Sent to these nodes' topics; each of them follows with {@code delivered}. */
        ROUTED,
        /** One node handed it to this many sessions. */
        DELIVERED,
        /** No session of the target anywhere: the producer may fall back to another channel. */
        OFFLINE,
        /** Its {@code expiresAt} had passed before it was dispatched. */
        EXPIRED,
        /** A repeat of a {@code messageId} within the dedupe window: not delivered again. */
        DUPLICATE,
        /** Dead-lettered, with the reason. */
        REJECTED,
        /** A client session acknowledged it. */
        ACKED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status ofWire(String text) {
            for (Status s : values()) {
                if (s.wire().equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown receipt status '" + text + "'");
        }
    }

    public Receipt {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(position, "position");
        nodes = List.copyOf(nodes);
        if (sessions < 0) {
            throw new IllegalArgumentException("sessions must be >= 0, was " + sessions);
        }
    }

    /** A receipt that only says what happened: {@code offline}, {@code expired}, {@code duplicate}. */
    public static Receipt of(Status status, MessagePosition position, String key, String messageId, long at) {
        return new Receipt(status, position, key, messageId, at, List.of(), null, 0, null, null, null);
    }

    public static Receipt routed(MessagePosition position, String key, String messageId, long at, List<NodeId> nodes) {
        return new Receipt(Status.ROUTED, position, key, messageId, at, nodes, null, 0, null, null, null);
    }

    public static Receipt delivered(MessagePosition position, String key, String messageId, long at, NodeId node,
                                    int sessions) {
        return new Receipt(Status.DELIVERED, position, key, messageId, at, List.of(), node, sessions, null, null, null);
    }

    public static Receipt rejected(MessagePosition position, String key, String messageId, long at, String reason,
                                   String detail) {
        return new Receipt(Status.REJECTED, position, key, messageId, at, List.of(), null, 0, null, reason, detail);
    }

    public static Receipt acked(MessagePosition position, String key, String messageId, long at, NodeId node,
                                String session) {
        return new Receipt(Status.ACKED, position, key, messageId, at, List.of(), node, 0, session, null, null);
    }
}
