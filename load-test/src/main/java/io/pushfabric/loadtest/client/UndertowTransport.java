package io.pushfabric.loadtest.client;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.websockets.client.WebSocketClient;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * Undertow's own WebSocket client on an XNIO worker: a few I/O threads serve every connection, buffers come
 * from a shared pool and are only held while a frame is being read, and a source address can be bound.
 */
public final class UndertowTransport implements WsTransport {
    private static final int BUFFER_SIZE = 8 * 1024;

    private final XnioWorker worker;
    private final ByteBufferPool buffers;

    public UndertowTransport(int ioThreads) {
        try {
            this.worker = Xnio.getInstance(UndertowTransport.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_NAME, "lt-ws")
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.WORKER_TASK_CORE_THREADS, 2)
                    .set(Options.WORKER_TASK_MAX_THREADS, 2)
                    .set(Options.TCP_NODELAY, true)
                    .getMap());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the XNIO worker: " + e, e);
        }
        this.buffers = new DefaultByteBufferPool(true, BUFFER_SIZE);
    }

    @Override
    public Pending connect(URI uri, InetAddress bindAddress, WsListener listener) {
        IoFuture<WebSocketChannel> future;
        try {
            WebSocketClient.ConnectionBuilder builder = WebSocketClient.connectionBuilder(worker, buffers, uri);
            if (bindAddress != null) {
                builder.setBindAddress(new InetSocketAddress(bindAddress, 0));
            }
            future = builder.connect();
        } catch (RuntimeException e) {
            listener.onConnectFailed(e);
            return () -> { };
        }
        future.addNotifier(new IoFuture.HandlingNotifier<WebSocketChannel, WsListener>() {
            @Override
            public void handleDone(WebSocketChannel channel, WsListener l) {
                open(channel, l);
            }

            @Override
            public void handleFailed(IOException e, WsListener l) {
                l.onConnectFailed(e);
            }

            @Override
            public void handleCancelled(WsListener l) {
                l.onConnectFailed(new CancellationException("connect cancelled (no upgrade in time)"));
            }
        }, listener);
        return future::cancel;
    }

    @Override
    public boolean canBind() {
        return true;
    }

    @Override
    public String name() {
        return "undertow";
    }

    @Override
    public void close() {
        worker.shutdownNow();
        buffers.close();
    }

    private static void open(WebSocketChannel channel, WsListener listener) {
        Connection connection = new Connection(channel);
        channel.getReceiveSetter().set(new Frames(listener, connection));
        channel.addCloseTask(ch -> connection.closed(listener));
        listener.onOpen(connection);
        channel.resumeReceives();
    }

    /** One channel, and the close code its peer sent. */
    private static final class Connection implements WsConnection {
        private final WebSocketChannel channel;
        private final AtomicBoolean reported = new AtomicBoolean();
        private volatile int closeCode = -1;

        Connection(WebSocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() {
            if (channel.isOpen()) {
                WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, "bye", channel, new WebSocketCallback<Void>() {
                    @Override
                    public void complete(WebSocketChannel ch, Void context) {
                        // The server answers with its close frame, then the channel closes.
                    }

                    @Override
                    public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                        IoUtils.safeClose(ch);
                    }
                });
            }
        }

        @Override
        public void abort() {
            IoUtils.safeClose(channel);
        }

        void closed(WsListener listener) {
            if (reported.compareAndSet(false, true)) {
                listener.onClosed(closeCode);
            }
        }
    }

    private static final class Frames extends AbstractReceiveListener {
        private final WsListener listener;
        private final Connection connection;

        Frames(WsListener listener, Connection connection) {
            this.listener = listener;
            this.connection = connection;
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            listener.onText(message.getData());
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
        }

        @Override
        protected void onCloseMessage(CloseMessage message, WebSocketChannel channel) {
            connection.closeCode = message.getCode();
        }

        @Override
        protected void onError(WebSocketChannel channel, Throwable error) {
            super.onError(channel, error);
            IoUtils.safeClose(channel);
        }
    }
}
