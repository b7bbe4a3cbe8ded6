package io.pushfabric.contracts.frames;

/**
 * A text frame a client sends: an application-level ping, a fresh token, joining and leaving a channel, or an
 * acknowledgement. Anything else is an error.
 */
public sealed interface ClientFrame {
    record Ping() implements ClientFrame {
    }

    /** A fresh token for the same user, sent before the session's token expires, keeps the session open. */
    record Refresh(String token) implements ClientFrame {
    }

    /**
     * Join a channel. The name is checked by the server (a bad one is refused with {@code bad_channel}).
     *
     * @param token    a subscription token granting the channel, or null
     * @param position where to recover from ({@code <topic>,<partition>:<offset>}), or null for "from now"
     */
    record Subscribe(String channel, String token, String position) implements ClientFrame {
    }

    /** Leave a channel. */
    record Unsubscribe(String channel) implements ClientFrame {
    }

    /** The client has read the push with this id ({@code <partition>-<offset>}): a read receipt. */
    record Ack(io.pushfabric.contracts.MessagePosition id) implements ClientFrame {
    }
}
