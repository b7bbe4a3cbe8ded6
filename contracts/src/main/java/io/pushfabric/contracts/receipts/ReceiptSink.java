package io.pushfabric.contracts.receipts;

/**
 * Where receipts go. {@link #offer} never blocks and never throws: a sink that cannot take a receipt now drops
 * it and counts it, so receipts never slow delivery down.
 */
@FunctionalInterface
public interface ReceiptSink {
    /** A sink that discards everything: receipts are off. */
    ReceiptSink NONE = receipt -> { };

    void offer(Receipt receipt);
}
