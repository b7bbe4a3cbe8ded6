package io.pushfabric.connector.http;

import io.pushfabric.connector.session.EncodedFrame;
import io.pushfabric.connector.session.FrameSink;
import io.pushfabric.contracts.CloseCodes;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.xnio.IoUtils;

/**
 * A session's socket over Undertow. Counts frames sent and not yet written; past the limit the client is too
 * slow and {@link #send} says so, instead of buffering without bound. A replay streams through
 * {@link #sendWhenRoom} into the lower half of that queue, and goes on as writes complete.
 *
 * <p>Frames are not handed to Undertow by the thread that sends them: they wait in the socket's
 * {@link SocketOutbox}, and the socket's I/O thread, woken once for all its sockets that have frames
 * ({@link IoThreadWrites}), writes them, several at once with one flush when they have piled up. Each frame is
 * a view of bytes encoded once for all its recipients ({@link EncodedFrame}). The close frame takes the same
 * way, after the frames sent before it.
 *
 * <p>Lock order: session lock, then nothing of Undertow's. A thread holding its {@code ClientSession}'s lock
 * only appends to the outbox and never takes an Undertow lock, so it never waits for the channel; the I/O
 * thread writes holding the channel's locks and takes no session's lock meanwhile (a replay goes on in a task
 * of its own, see {@code onSent}, and a closed socket tells its session on a worker, see
 * {@code UndertowServer}). Neither ever waits for what the other holds.
 */
final class UndertowSession implements FrameSink {
    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final WebSocketChannel channel;
    private final SocketOutbox<EncodedFrame> outbox;
    private final int maxQueued;
    private final int streamLimit;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicReference<Runnable> whenRoom = new AtomicReference<>();
    private volatile int closeCode;
    private volatile String closeReason;
    /** The close frame is written: frames that raced with it are dropped. Read and written on the I/O thread. */
    private boolean closeWritten;
    private volatile long lastReceived;
    /** How an idle peer is closed: through its session once it has one, so the session knows why. */
    private volatile Runnable idleClose = () -> close(CloseCodes.IDLE_TIMEOUT, "idle timeout");
    private final WebSocketCallback<Void> onSent = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel ch, Void context) {
            if (queued.decrementAndGet() < streamLimit) {
                Runnable next = whenRoom.getAndSet(null);
                if (next != null) {
                    ch.getIoThread().execute(next); // not inside Undertow's write callback
                }
            }
        }

        @Override
        public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
            queued.decrementAndGet();
            IoUtils.safeClose(ch);
        }
    };

    /** @param ioThread the writes of the channel's I/O thread */
    UndertowSession(WebSocketChannel channel, IoThreadWrites ioThread, int maxQueued, long openedAt) {
        this.lastReceived = openedAt;
        this.channel = channel;
        this.outbox = new SocketOutbox<>(ioThread, this::write);
        this.maxQueued = maxQueued;
        this.streamLimit = Math.max(1, maxQueued / 2);
    }

    @Override
    public boolean send(EncodedFrame frame) {
        if (closing.get() || !channel.isOpen()) {
            return false;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            return false;
        }
        outbox.add(frame);
        return true;
    }

    @Override
    public boolean sendWhenRoom(EncodedFrame frame, Runnable onRoom) {
        if (closing.get() || !channel.isOpen()) {
            return false;
        }
        if (queued.get() >= streamLimit) {
            whenRoom.set(onRoom);
            // A write that completed between the check and the set found nothing to run: look again.
            if (queued.get() >= streamLimit || whenRoom.getAndSet(null) == null) {
                return false;
            }
        }
        queued.incrementAndGet();
        outbox.add(frame);
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (!channel.isOpen()) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        outbox.finish();
    }

    /**
     * Runs on the channel's I/O thread: writes the frames, then the close frame when asked. Several frames are
     * queued in Undertow first and written together by one flush (one gathering write to the socket).
     */
    private void write(List<EncodedFrame> frames, boolean thenClose) {
        if (closeWritten || !channel.isOpen()) {
            queued.addAndGet(-frames.size()); // gone: nothing will be written, and nobody waits for room
            return;
        }
        boolean together = frames.size() + (thenClose ? 1 : 0) > 1;
        if (together) {
            channel.setRequireExplicitFlush(true);
        }
        try {
            for (EncodedFrame frame : frames) {
                WebSockets.sendText(frame.bytes(), channel, onSent);
            }
            if (thenClose) {
                closeWritten = true;
                sendClose();
            }
        } finally {
            if (together) {
                channel.setRequireExplicitFlush(false);
                channel.flush();
            }
        }
    }

    private void sendClose() {
        WebSockets.sendClose(closeCode, closeReason, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                // The peer answers with its close frame and Undertow then closes the connection.
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                IoUtils.safeClose(ch);
            }
        });
    }

    @Override
    public int queued() {
        return queued.get();
    }

    void ping() {
        if (channel.isOpen() && !closing.get()) {
            WebSockets.sendPing(PING.duplicate(), channel, null);
        }
    }

    /** The peer sent something (any frame, pongs included) at {@code now}. */
    void received(long now) {
        lastReceived = now;
    }

    boolean isIdle(long now, long idleTimeoutMillis) {
        return now - lastReceived >= idleTimeoutMillis;
    }

    /** Closes an idle peer through {@code sessionClose}, which must end in {@link #close} with 4004. */
    void closeIdleThrough(Runnable sessionClose) {
        idleClose = sessionClose;
    }

    /**
     * Drops an idle peer: first a close frame, which a peer that still reads gets; when called again on a
     * socket that is still open, the TCP connection (the peer never completed the close).
     *
     * @return true when this call sent the close frame, false when it dropped the connection
     */
    boolean dropIdle() {
        if (closing.get()) {
            IoUtils.safeClose(channel);
            return false;
        }
        idleClose.run();
        return true;
    }
}
