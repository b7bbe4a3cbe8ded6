package io.pushfabric.dispatcher.receipts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.receipts.Receipt;
import io.pushfabric.contracts.receipts.ReceiptMode;
import io.pushfabric.contracts.receipts.ReceiptSink;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The receipts of one batch of {@code push-requests}, decided by the dispatcher: {@code routed} (with the nodes it
 * went to), {@code offline}, {@code expired}, {@code duplicate}, {@code rejected}. They are collected while the
 * batch runs and handed to the sink only once it went through ({@link #publish}); a batch that is retried starts
 * afresh ({@link #begin}), so a retry never doubles them. Not thread-safe: one per batch dispatcher.
 */
public final class DispatchReceipts {
    private final ReceiptMode mode;
    private final ReceiptSink sink;
    private final Clock clock;
    private final List<Receipt> pending = new ArrayList<>();
    private static final Comparator<Receipt> BY_POSITION = Comparator
            .comparingInt((Receipt r) -> r.position().partition()).thenComparingLong(r -> r.position().offset());

    public DispatchReceipts(ReceiptMode mode, ReceiptSink sink, Clock clock) {
        this.mode = mode;
        this.sink = sink;
        this.clock = clock;
    }

    /** No receipts at all. */
    public static DispatchReceipts off(Clock clock) {
        return new DispatchReceipts(ReceiptMode.OFF, ReceiptSink.NONE, clock);
    }

    /** A new batch, or a new attempt at one: what the last attempt collected is forgotten. */
    public void begin() {
        pending.clear();
    }

    /** The request as it goes to node topics: with the receipt flag set exactly when this fabric gives it receipts. */
    public PushRequest marked(PushRequest request) {
        boolean wanted = mode.wants(request);
        return wanted == request.receipt() ? request : request.withReceipt(wanted);
    }

    public void expired(MessagePosition position, PushRequest request) {
        note(Receipt.Status.EXPIRED, position, request);
    }

    public void duplicate(MessagePosition position, PushRequest request) {
        note(Receipt.Status.DUPLICATE, position, request);
    }

    /**
     * Sent to the nodes of {@code targets} that were not fenced: {@code routed} naming them, or {@code offline} when
     * there were none.
     */
    public void dispatched(MessagePosition position, PushRequest request, Collection<NodeId> targets,
                           Set<NodeId> fenced) {
        if (!mode.wants(request)) {
            return;
        }
        List<NodeId> reached = new ArrayList<>(targets.size());
        for (NodeId node : targets) {
            if (!fenced.contains(node)) {
                reached.add(node);
            }
        }
        if (reached.isEmpty()) {
            note(Receipt.Status.OFFLINE, position, request);
        } else {
            reached.sort(Comparator.comparing(NodeId::value));
            pending.add(Receipt.routed(position, RoutingKeys.of(request), request.messageId(), clock.millis(), reached));
        }
    }

    /**
     * A record that was dead-lettered. It may not even be a valid request, so whether it asked for receipts and its
     * {@code messageId} are read from its top-level fields when they can be (never for a record that is not JSON).
     */
    public void rejected(MessagePosition position, String key, byte[] value, String reason, String detail) {
        if (mode == ReceiptMode.OFF) {
            return;
        }
        Peek peek = Peek.of(value);
        if (mode == ReceiptMode.ALL || peek.receipt) {
            pending.add(Receipt.rejected(position, key, peek.messageId, clock.millis(), reason, detail));
        }
    }

    /**
     * The batch went through: its receipts go to the sink in the order of their requests (the steps of a batch
     * decide outcomes in another order), so one key's receipts from a dispatcher are in its requests' order.
     */
    public void publish() {
        pending.sort(BY_POSITION);
        for (Receipt r : pending) {
            sink.offer(r);
        }
        pending.clear();
    }

    private void note(Receipt.Status status, MessagePosition position, PushRequest request) {
        if (mode.wants(request)) {
            pending.add(Receipt.of(status, position, RoutingKeys.of(request), request.messageId(), clock.millis()));
        }
    }

    /** The top-level {@code receipt} and {@code messageId} of a record that may be anything, read as a stream. */
    private record Peek(boolean receipt, String messageId) {
        static final Peek NOTHING = new Peek(false, null);

        static Peek of(byte[] value) {
            if (value == null || value.length == 0) {
                return NOTHING;
            }
            boolean receipt = false;
            String messageId = null;
            try (JsonParser p = Json.MAPPER.getFactory().createParser(value)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return NOTHING;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken token = p.nextToken();
                    if (field.equals("receipt")) {
                        receipt = token == JsonToken.VALUE_TRUE;
                    } else if (field.equals("messageId") && token == JsonToken.VALUE_STRING
                            && p.getTextLength() <= PushRequest.MAX_MESSAGE_ID_LENGTH) {
                        messageId = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } catch (IOException e) {
                // Not JSON, or broken part-way: whatever was read before the break stands.
            }
            return new Peek(receipt, messageId);
        }
    }
}
