package io.pushfabric.loadtest.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's {@code java.net.http} WebSocket: one selector thread per client instance, callbacks on a small
 * pool. On Java 17 it cannot bind a source address ({@code HttpClient.Builder.localAddress} arrived in 19),
 * so it is limited to one source address's ephemeral ports.
 */
public final class JdkTransport implements WsTransport {
    private final HttpClient http;
    private final ExecutorService executor;

    public JdkTransport(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lt-jdk-ws-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public Pending connect(URI uri, InetAddress bindAddress, WsListener listener) {
        if (bindAddress != null) {
            throw new IllegalArgumentException("the JDK 17 WebSocket client cannot bind source address "
                    + bindAddress.getHostAddress() + "; use --client undertow");
        }
        Handler handler = new Handler(listener);
        java.util.concurrent.CompletableFuture<WebSocket> future = http.newWebSocketBuilder().buildAsync(uri, handler);
        future.whenComplete((ws, error) -> {
            if (error != null) {
                listener.onConnectFailed(error);
            }
        });
        return () -> future.cancel(true);
    }

    @Override
    public boolean canBind() {
        return false;
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Handler implements WebSocket.Listener, WsConnection {
        private final WsListener listener;
        private final StringBuilder partial = new StringBuilder();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile WebSocket socket;

        Handler(WsListener listener) {
            this.listener = listener;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            this.socket = webSocket;
            listener.onOpen(this);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last && partial.length() == 0) {
                listener.onText(data.toString());
            } else {
                partial.append(data);
                if (last) {
                    listener.onText(partial.toString());
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed(-1);
        }

        private void closed(int code) {
            if (closed.compareAndSet(false, true)) {
                listener.onClosed(code);
            }
        }

        @Override
        public void close() {
            WebSocket ws = socket;
            if (ws != null && !ws.isOutputClosed()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            }
        }

        @Override
        public void abort() {
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort();
            }
            closed(-1);
        }
    }
}
