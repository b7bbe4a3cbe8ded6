package io.pushfabric.connector.http;

import io.pushfabric.connector.session.FrameSink;
import io.pushfabric.contracts.CloseCodes;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.xnio.IoUtils;

/**
 * A session's socket over Undertow. Counts frames handed to Undertow and not yet written; past the limit
 * the client is too slow and {@link #send} says so, instead of buffering without bound. A replay streams
 * through {@link #sendWhenRoom} into the lower half of that queue, and goes on as writes complete.
 */
final class UndertowSession implements FrameSink {
    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final WebSocketChannel channel;
    private final int maxQueued;
    private final int streamLimit;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicReference<Runnable> whenRoom = new AtomicReference<>();
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

    UndertowSession(WebSocketChannel channel, int maxQueued, long openedAt) {
        this.lastReceived = openedAt;
        this.channel = channel;
        this.maxQueued = maxQueued;
        this.streamLimit = Math.max(1, maxQueued / 2);
    }

    @Override
    public boolean send(String text) {
        if (closing.get() || !channel.isOpen()) {
            return false;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            return false;
        }
        WebSockets.sendText(text, channel, onSent);
        return true;
    }

    @Override
    public boolean sendWhenRoom(String text, Runnable onRoom) {
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
        WebSockets.sendText(text, channel, onSent);
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
        WebSockets.sendClose(code, reason, channel, new WebSocketCallback<Void>() {
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
