package io.pushfabric.contracts.frames;

/**
 * A text frame a client sends: an application-level ping, a fresh token, or an acknowledgement. Anything else is
 * an error.
 */
public sealed interface ClientFrame {
    record Ping() implements ClientFrame {
    }

    /** A fresh token for the same user, sent before the session's token expires, keeps the session open. */
    record Refresh(String token) implements ClientFrame {
    }

    /** The client has read the push with this id ({@code <partition>-<offset>}): a read receipt. */
    record Ack(io.pushfabric.contracts.MessagePosition id) implements ClientFrame {
    }
}
