package io.pushfabric.dispatcher.loop;

import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.DeliveryCodec;
import io.pushfabric.contracts.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link DeliverySink} in the heap: records what each node received, in order and record by record, and the dead
 * letters. A test scripts failures per node: refuse at once, fail after the send, or never answer.
 */
final class RecordingSink implements DeliverySink {
    record DeadLetter(PolledRecord record, String reason, String detail) {
    }

    /** A failure the sink reports for a node; {@code scope} is what {@link #classify} answers for it. */
    static final class ScriptedFailure extends RuntimeException {
        final FailureScope scope;

        ScriptedFailure(FailureScope scope) {
            super("scripted " + scope);
            this.scope = scope;
        }
    }

    private final DeliveryCodec codec = new DeliveryCodec();
    final Map<NodeId, List<Delivery>> delivered = new HashMap<>();
    /** The number of deliveries in each record a node received, in order. */
    final Map<NodeId, List<Integer>> records = new HashMap<>();
    /** Records above this are refused at once for the record's fault, as the producer's max.request.size does. */
    long maxRecordBytes = Long.MAX_VALUE;
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final Map<NodeId, FailureScope> refuseAtOnce = new HashMap<>();
    final Map<NodeId, FailureScope> failLater = new HashMap<>();
    Set<NodeId> silentAndGone = Set.of();
    FailureScope deadLetterFailure;

    @Override
    public CompletableFuture<Void> deliver(NodeId node, byte[] value) {
        FailureScope refused = refuseAtOnce.get(node);
        if (refused != null) {
            return CompletableFuture.failedFuture(new UndeliverableException(refused, "refused " + node));
        }
        if (value.length > maxRecordBytes) {
            return CompletableFuture.failedFuture(new UndeliverableException(FailureScope.RECORD, "too large"));
        }
        if (silentAndGone.contains(node)) {
            return new CompletableFuture<>();
        }
        FailureScope later = failLater.get(node);
        if (later != null) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            CompletableFuture.runAsync(() -> ack.completeExceptionally(new ScriptedFailure(later)));
            return ack;
        }
        List<Delivery> deliveries = codec.decodeRecord(value, unreadable -> {
            throw new AssertionError(unreadable);
        });
        delivered.computeIfAbsent(node, n -> new ArrayList<>()).addAll(deliveries);
        records.computeIfAbsent(node, n -> new ArrayList<>()).add(deliveries.size());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public long maxRecordBytes(NodeId node) {
        return maxRecordBytes;
    }

    @Override
    public CompletableFuture<Void> deadLetter(PolledRecord record, String reason, String detail) {
        if (deadLetterFailure != null) {
            return CompletableFuture.failedFuture(new ScriptedFailure(deadLetterFailure));
        }
        deadLetters.add(new DeadLetter(record, reason, detail));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public FailureScope classify(NodeId node, Throwable failure) {
        if (failure instanceof UndeliverableException refused) {
            return refused.scope();
        }
        return ((ScriptedFailure) failure).scope;
    }

    @Override
    public boolean nodeGone(NodeId node) {
        return silentAndGone.contains(node);
    }

    List<Long> offsetsAt(NodeId node) {
        return delivered.getOrDefault(node, List.of()).stream().map(d -> d.position().offset()).toList();
    }
}
