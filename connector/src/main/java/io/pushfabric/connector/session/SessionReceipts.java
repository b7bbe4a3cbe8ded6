package io.pushfabric.connector.session;

import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.receipts.Receipt;
import io.pushfabric.contracts.receipts.ReceiptMode;
import io.pushfabric.contracts.receipts.ReceiptSink;
import java.time.Clock;

/**
 * The receipts a connector node writes: {@code delivered} (how many of the target's sessions on this node a push
 * with receipts on was handed to) and {@code acked} (a client acknowledged one). Whether a push has receipts on is
 * decided by the dispatcher and carried on the delivery; for replayed messages, by {@code mode} here. The sink
 * never blocks, so neither does this. Replayed messages get no {@code delivered} receipt, only {@code acked}.
 *
 * @param ackWindow per session, how many unacknowledged pushes with receipts on are remembered
 */
public record SessionReceipts(ReceiptMode mode, ReceiptSink sink, NodeId node, Clock clock, int ackWindow) {
    /** No receipts: nothing written, nothing remembered. */
    public static SessionReceipts off(NodeId node, Clock clock) {
        return new SessionReceipts(ReceiptMode.OFF, ReceiptSink.NONE, node, clock, 1);
    }

    /**
     * A replayed message, read from {@code push-requests}, with the receipt flag this fabric gives it (as the
     * dispatcher sets it on live deliveries), so its client may acknowledge it like a live one.
     */
    Delivery replayed(Delivery delivery) {
        boolean wanted = mode.wants(delivery.request());
        return wanted == delivery.request().receipt() ? delivery
                : new Delivery(delivery.position(), delivery.request().withReceipt(wanted));
    }

    boolean enabled() {
        return sink != ReceiptSink.NONE;
    }

    /** A live delivery was handed to {@code sessions} sessions here (0: none of the target's were open). */
    public void delivered(Delivery delivery, int sessions) {
        if (delivery.request().receipt()) {
            sink.offer(Receipt.delivered(delivery.position(), RoutingKeys.of(delivery.request()),
                    delivery.request().messageId(), clock.millis(), node, sessions));
        }
    }

    /** A delivery whose expiry passed before this node could hand it out: {@code expired}, naming the node. */
    public void expired(Delivery delivery) {
        if (delivery.request().receipt()) {
            sink.offer(new Receipt(Receipt.Status.EXPIRED, delivery.position(), RoutingKeys.of(delivery.request()),
                    delivery.request().messageId(), clock.millis(), java.util.List.of(), node, 0, null, null, null));
        }
    }

    void acked(AckWindow.Ackable push, String session) {
        sink.offer(Receipt.acked(push.position(), push.key(), push.messageId(), clock.millis(), node, session));
    }
}
