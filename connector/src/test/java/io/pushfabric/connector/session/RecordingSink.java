package io.pushfabric.connector.session;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FrameSink} that keeps what it was sent. It accepts at most {@code capacity} frames; past that
 * {@link #send} returns false, as a full send queue does. A stream ({@link #sendWhenRoom}) gets
 * {@code streamRoom} frames at first and more only when the test calls {@link #drain}, as a socket that
 * is read. Thread-safe.
 */
final class RecordingSink implements FrameSink {
    private final int capacity;
    private final List<String> frames = new ArrayList<>();
    private int streamRoom = Integer.MAX_VALUE;
    private Runnable whenRoom;
    private Integer closeCode;
    private String closeReason;
    private int closeCalls;

    RecordingSink(int capacity) {
        this.capacity = capacity;
    }

    RecordingSink() {
        this(Integer.MAX_VALUE);
    }

    @Override
    public synchronized boolean send(EncodedFrame frame) {
        if (closeCode != null || frames.size() >= capacity) {
            return false;
        }
        frames.add(frame.text());
        return true;
    }

    /** A sink whose stream gets {@code streamRoom} frames until {@link #drain} makes more room. */
    static RecordingSink withStreamRoom(int streamRoom) {
        RecordingSink sink = new RecordingSink();
        sink.streamRoom = streamRoom;
        return sink;
    }

    @Override
    public boolean sendWhenRoom(EncodedFrame frame, Runnable onRoom) {
        synchronized (this) {
            if (streamRoom <= 0) {
                whenRoom = onRoom;
                return false;
            }
            streamRoom--;
        }
        return send(frame);
    }

    /** The client read {@code n} more frames: the stream may go on. */
    void drain(int n) {
        Runnable next;
        synchronized (this) {
            streamRoom += n;
            next = whenRoom;
            whenRoom = null;
        }
        if (next != null) {
            next.run();
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        closeCalls++;
        if (closeCode == null) {
            closeCode = code;
            closeReason = reason;
        }
    }

    @Override
    public synchronized int queued() {
        return frames.size();
    }

    synchronized List<String> frames() {
        return List.copyOf(frames);
    }

    /** The close code of the first close, or null while open. */
    synchronized Integer closeCode() {
        return closeCode;
    }

    synchronized String closeReason() {
        return closeReason;
    }

    synchronized int closeCalls() {
        return closeCalls;
    }
}
