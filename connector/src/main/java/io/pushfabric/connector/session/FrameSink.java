package io.pushfabric.connector.session;

/** The socket side of a session, as the session sees it. Implemented over Undertow in the http package. */
public interface FrameSink {

    /**
     * Queues a text frame; frames go out in call order. Never blocks and never waits for the socket: the
     * session may call it holding its own lock.
     *
     * @return false when the client is too slow (its queue of unsent frames is full) or the socket is gone
     */
    boolean send(EncodedFrame frame);

    /**
     * Queues one frame of a stream too long for the send queue (a replay), only while the queue is below
     * half its limit, which leaves the other half to control frames. When it is not, the frame is not
     * queued and {@code whenRoom} runs once, on another thread, as soon as the queue has drained below
     * that mark; the caller then goes on where it stopped.
     *
     * @return true when queued; false when there is no room now (then {@code whenRoom} follows) or the
     *         socket is gone (then the session's close follows instead)
     */
    boolean sendWhenRoom(EncodedFrame frame, Runnable whenRoom);

    /** Closes the socket with a close code from {@code CloseCodes}, after the frames queued before; idempotent. */
    void close(int code, String reason);

    /** Frames queued and not yet written to the socket. */
    int queued();
}
