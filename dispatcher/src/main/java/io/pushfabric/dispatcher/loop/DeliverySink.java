package io.pushfabric.dispatcher.loop;

import io.pushfabric.contracts.NodeId;
import java.util.concurrent.CompletableFuture;

/**
 * Where the batch dispatcher's output goes: deliveries to node topics and dead letters. Every send returns a
 * future that completes when the send is durable, or fails with the sink's own error (possibly at once, with an
 * {@link UndeliverableException}, when the sink knows the send cannot succeed).
 */
public interface DeliverySink {

    /**
     * Sends one node-topic record to {@code node}'s topic: a {@linkplain io.pushfabric.contracts.DeliveryCodec
     * batch} of deliveries, in order.
     */
    CompletableFuture<Void> deliver(NodeId node, byte[] value);

    /**
     * The largest record value {@link #deliver} can send to {@code node} (its topic's {@code max.message.bytes}
     * and the producer's {@code max.request.size}, less framing); deliveries are packed below it, and one that
     * is larger on its own is sent alone, to be refused alone.
     */
    long maxRecordBytes(NodeId node);

    /** Sends a copy of {@code record} to the dead-letter topic with a reason code and a human sentence. */
    CompletableFuture<Void> deadLetter(PolledRecord record, String reason, String detail);

    /**
     * What a failed send means: retry the batch, fence the target node, or dead-letter the record.
     *
     * @param node the target of a delivery, or null for a dead letter
     */
    FailureScope classify(NodeId node, Throwable failure);

    /** True when {@code node} can no longer take deliveries at all (asked when its acknowledgements are slow). */
    boolean nodeGone(NodeId node);
}
