package io.pushfabric.connector.http;

import io.pushfabric.connector.session.FrameSink;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.IoUtils;

/**
 * A session's socket over Undertow. Counts frames handed to Undertow and not yet written; past the limit
 * the client is too slow and {@link #send} says so, instead of buffering without bound.
 */
final class UndertowSession implements FrameSink {
    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final WebSocketChannel channel;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final WebSocketCallback<Void> onSent = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel ch, Void context) {
            queued.decrementAndGet();
        }

        @Override
        public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
            queued.decrementAndGet();
            IoUtils.safeClose(ch);
        }
    };

    UndertowSession(WebSocketChannel channel, int maxQueued) {
        this.channel = channel;
        this.maxQueued = maxQueued;
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
}
