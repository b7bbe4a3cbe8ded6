package io.pushfabric.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.frames.ServerFrame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A client that behaves like a well-written app: when its connection drops it reconnects, after a random
 * delay (full jitter), to the next URL, presenting its cursor; it keeps every message it ever got and
 * counts duplicates by message id.
 */
final class ResilientClient {
    private final Fabric fabric;
    private final String user;
    private final IntFunction<String> urls;
    private final AtomicInteger attempt = new AtomicInteger();
    private final List<ServerFrame.Push> received = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private final List<ServerFrame.Welcome> welcomes = new ArrayList<>();
    private final List<Long> latenciesMillis = new ArrayList<>();
    private int duplicates;
    private volatile boolean stopped;
    private volatile WsClient current;
    private String lastCursor;

    ResilientClient(Fabric fabric, String user, IntFunction<String> urls, int firstUrl) {
        this.fabric = fabric;
        this.user = user;
        this.urls = urls;
        this.attempt.set(firstUrl);
    }

    String user() {
        return user;
    }

    CompletableFuture<WsClient> start() {
        return connect();
    }

    private CompletableFuture<WsClient> connect() {
        String cursor;
        synchronized (this) {
            cursor = lastCursor;
        }
        String url = urls.apply(attempt.get());
        return WsClient.connect(fabric.http, url, fabric.token(user), cursor, this::onFrame, this::onClosed)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        retryLater();
                    } else {
                        current = ws;
                    }
                });
    }

    private synchronized void onFrame(ServerFrame frame) {
        if (frame instanceof ServerFrame.Welcome w) {
            welcomes.add(w);
            lastCursor = w.cursor().format();
        } else if (frame instanceof ServerFrame.Push p) {
            if (ids.add(p.position().id())) {
                received.add(p);
                JsonNode sentAt = p.request().payload().tree().get(Stream.SENT_AT);
                if (sentAt != null) {
                    latenciesMillis.add(System.currentTimeMillis() - sentAt.asLong());
                }
            } else {
                duplicates++;
            }
            lastCursor = io.pushfabric.contracts.Cursor.parse(lastCursor).after(p.position()).format();
        }
    }

    private void onClosed() {
        retryLater();
    }

    private void retryLater() {
        if (stopped) {
            return;
        }
        attempt.incrementAndGet();
        long delay = ThreadLocalRandom.current().nextLong(500);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            if (!stopped) {
                connect();
            }
        });
    }

    synchronized List<ServerFrame.Push> received() {
        return List.copyOf(received);
    }

    /** From publication ({@link Stream#SENT_AT}) to first receipt, of every stream message received. */
    synchronized List<Long> latenciesMillis() {
        return List.copyOf(latenciesMillis);
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized List<ServerFrame.Welcome> welcomes() {
        return List.copyOf(welcomes);
    }

    boolean isConnected() {
        WsClient ws = current;
        return ws != null && ws.isWelcomed() && !ws.isClosed();
    }

    void stop() {
        stopped = true;
        WsClient ws = current;
        if (ws != null) {
            ws.close();
        }
    }
}
