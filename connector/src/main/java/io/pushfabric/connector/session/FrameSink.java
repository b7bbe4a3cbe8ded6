package io.pushfabric.connector.session;

/** The socket side of a session, as the session sees it. Implemented over Undertow in the http package. */
public interface FrameSink {

    /**
     * Queues a text frame; frames go out in call order.
     *
     * @return false when the client is too slow (its queue of unsent frames is full) or the socket is gone
     */
    boolean send(String text);

    /** Closes the socket with a close code from {@code CloseCodes}; idempotent. */
    void close(int code, String reason);

    /** Frames queued and not yet written to the socket. */
    int queued();
}
