package io.pushfabric.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.frames.ServerFrame;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    private final List<String> history = new ArrayList<>();
    private final Map<String, String> receivedAt = new HashMap<>();
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
        note("connect to " + url + " with cursor " + cursor);
        return WsClient.connect(fabric.http, url, fabric.token(user), cursor, this::onFrame, this::onClosed)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        note("connect failed: " + error);
                        retryLater();
                    } else {
                        current = ws;
                    }
                });
    }

    private synchronized void onFrame(ServerFrame frame) {
        if (frame instanceof ServerFrame.Welcome w) {
            welcomes.add(w);
            note("welcome from " + w.node() + ", recovered " + w.recovered() + ", replayed " + w.replayed()
                    + ", cursor " + w.cursor().format());
            lastCursor = w.cursor().format();
        } else if (frame instanceof ServerFrame.Push p) {
            if (ids.add(p.position().id())) {
                received.add(p);
                receivedAt.put(p.position().id(), LocalTime.now() + " from " + p.node());
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
        WsClient ws = current;
        note("closed with " + (ws == null ? "?" : ws.closeCode()));
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

    private synchronized void note(String event) {
        history.add(LocalTime.now() + " " + event);
    }

    /** Connects, welcomes and closes, each with the time it happened. */
    synchronized List<String> history() {
        return List.copyOf(history);
    }

    /** When the first copy of a message arrived, and from which node; null if it never did. */
    synchronized String receivedAt(String id) {
        return receivedAt.get(id);
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
