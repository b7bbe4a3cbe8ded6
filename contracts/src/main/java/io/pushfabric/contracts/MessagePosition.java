package io.pushfabric.contracts;

/**
 * The identity of a message: its partition and offset in {@code push-requests}. The same whichever
 * node delivers it, so a client can drop duplicates by it. Rendered as {@code "<partition>-<offset>"}.
 */
public record MessagePosition(int partition, long offset) {
    public MessagePosition {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
    }

    public String id() {
        return partition + "-" + offset;
    }

    @Override
    public String toString() {
        return id();
    }
}
