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

    /** Reads {@link #id()} back. @throws IllegalArgumentException naming the text */
    public static MessagePosition parse(String text) {
        int dash = text.indexOf('-');
        try {
            if (dash <= 0) {
                throw new NumberFormatException("no '-'");
            }
            return new MessagePosition(Integer.parseInt(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a message position '" + text + "' (expected <partition>-<offset>)", e);
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
