package io.pushfabric.e2e;

import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * A real WebSocket client (the JDK's) that records every frame and keeps its cursor the way the protocol
 * tells clients to: from the welcome, then {@code positions[partition] = offset + 1} per push (not per channel push).
 */
final class WsClient implements WebSocket.Listener {
    private static final FrameCodec FRAMES = new FrameCodec();

    private final List<ServerFrame> frames = new ArrayList<>();
    private final java.util.function.Consumer<ServerFrame> listener;
    private final Runnable onClosed;
    private final StringBuilder partial = new StringBuilder();
    private final CountDownLatch welcomed = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile WebSocket socket;
    private volatile int closeCode = -1;
    private Cursor cursor;

    private WsClient(java.util.function.Consumer<ServerFrame> listener, Runnable onClosed) {
        this.listener = listener;
        this.onClosed = onClosed;
    }

    static CompletableFuture<WsClient> connect(HttpClient http, String wsUrl, String token, String cursor) {
        return connect(http, wsUrl, token, cursor, f -> { }, () -> { });
    }

    /** @param listener sees every frame; @param onClosed runs once when the socket closes or fails */
    static CompletableFuture<WsClient> connect(HttpClient http, String wsUrl, String token, String cursor,
                                               java.util.function.Consumer<ServerFrame> listener, Runnable onClosed) {
        return connect(http, wsUrl, token, cursor, java.util.Map.of(), listener, onClosed);
    }

    /** @param headers extra upgrade request headers, e.g. what a proxy would add */
    static CompletableFuture<WsClient> connect(HttpClient http, String wsUrl, String token, String cursor,
                                               java.util.Map<String, String> headers,
                                               java.util.function.Consumer<ServerFrame> listener, Runnable onClosed) {
        StringBuilder url = new StringBuilder(wsUrl).append("?access_token=").append(token);
        if (cursor != null) {
            url.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        WsClient client = new WsClient(listener, onClosed);
        WebSocket.Builder builder = http.newWebSocketBuilder();
        headers.forEach(builder::header);
        return builder.buildAsync(URI.create(url.toString()), client).thenApply(ws -> {
            client.socket = ws;
            return client;
        });
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            ServerFrame frame = FRAMES.decodeServer(partial.toString());
            partial.setLength(0);
            synchronized (this) {
                frames.add(frame);
                if (frame instanceof ServerFrame.Welcome w) {
                    cursor = w.cursor();
                } else if (frame instanceof ServerFrame.Push p && cursor != null && !p.request().isChannel()) {
                    // A channel push never moves the cursor (docs/protocol.md, channels): its position is the channel's.
                    cursor = cursor.after(p.position());
                }
            }
            listener.accept(frame);
            if (frame instanceof ServerFrame.Welcome) {
                welcomed.countDown();
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        signalClosed();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        signalClosed();
    }

    private void signalClosed() {
        boolean first;
        synchronized (closed) {
            first = closed.getCount() > 0;
            closed.countDown();
        }
        if (first) {
            onClosed.run();
        }
    }

    boolean isWelcomed() {
        return welcomed.getCount() == 0;
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    int closeCode() {
        return closeCode;
    }

    synchronized ServerFrame.Welcome welcome() {
        for (ServerFrame f : frames) {
            if (f instanceof ServerFrame.Welcome w) {
                return w;
            }
        }
        return null;
    }

    synchronized List<ServerFrame.Push> pushes() {
        List<ServerFrame.Push> pushes = new ArrayList<>();
        for (ServerFrame f : frames) {
            if (f instanceof ServerFrame.Push p) {
                pushes.add(p);
            }
        }
        return pushes;
    }

    synchronized List<ServerFrame> frames() {
        return List.copyOf(frames);
    }

    synchronized String cursor() {
        return cursor == null ? null : cursor.format();
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(java.nio.ByteBuffer data) {
        socket.sendBinary(data, true).join();
    }

    void close() {
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    /** Drops the TCP connection without a close handshake, like a phone losing signal. */
    void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        signalClosed();
    }
}
