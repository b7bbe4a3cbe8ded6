package io.pushfabric.dispatcher.loop;

/** What a failed send says about the world, as a {@link DeliverySink} classifies it. */
public enum FailureScope {
    /** Worth retrying: the broker, the network or Redis may answer later. The batch is retried. */
    TRANSIENT,
    /** The target node cannot take deliveries (its topic is gone, refuses us, or refuses this size): fence it. */
    NODE,
    /** No node could ever take this record (larger than any produce request may be): dead-letter it. */
    RECORD
}
