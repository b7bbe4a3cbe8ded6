package io.pushfabric.e2e;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.client.PushPublisher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of targeted messages at a fixed rate (and, if asked, a broadcast every so often),
 * remembering what each user must receive. Runs on its own thread so the test can break things while it
 * flows.
 */
final class Stream {
    /** Payload field of every targeted message: its publication time in epoch millis. */
    static final String SENT_AT = "sentAt";

    private final PushPublisher publisher;
    private final List<String> users;
    private final int messages;
    private final int perSecond;
    private final int broadcastEvery;
    private final List<CompletableFuture<MessagePosition>> broadcasts = new ArrayList<>();
    private final Map<String, List<CompletableFuture<MessagePosition>>> sent = new HashMap<>();
    private final Thread thread;
    private volatile int published;

    private volatile boolean stopped;

    Stream(PushPublisher publisher, List<String> users, int messages, int perSecond) {
        this(publisher, users, messages, perSecond, 0);
    }

    /** @param broadcastEvery after every this many targeted messages one broadcast; 0 for none */
    Stream(PushPublisher publisher, List<String> users, int messages, int perSecond, int broadcastEvery) {
        this.publisher = publisher;
        this.users = users;
        this.messages = messages;
        this.perSecond = perSecond;
        this.broadcastEvery = broadcastEvery;
        this.thread = new Thread(this::run, "test-stream");
    }

    Stream start() {
        thread.start();
        return this;
    }

    int published() {
        return published;
    }

    private void run() {
        Random random = new Random(7);
        long start = System.nanoTime();
        for (int i = 0; i < messages && !stopped; i++) {
            long due = start + (long) i * 1_000_000_000L / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String user = users.get(random.nextInt(users.size()));
            // sentAt: the client's end-to-end latency (ResilientClient.latenciesMillis) counts from here.
            CompletableFuture<MessagePosition> ack = publisher.publish(PushRequest.toUser(UserId.of(user),
                    Json.MAPPER.createObjectNode().put("seq", i).put(SENT_AT, System.currentTimeMillis())));
            synchronized (sent) {
                sent.computeIfAbsent(user, k -> new ArrayList<>()).add(ack);
            }
            if (broadcastEvery > 0 && i % broadcastEvery == broadcastEvery - 1) {
                CompletableFuture<MessagePosition> all = publisher.publish(PushRequest.broadcast(
                        Json.MAPPER.createObjectNode().put("broadcastAfter", i)));
                synchronized (sent) {
                    broadcasts.add(all);
                }
            }
            published = i + 1;
        }
    }

    /** Ends the stream early, before its count of messages. */
    void stop() {
        stopped = true;
    }

    /**
     * Waits for the stream to end and every publish to be acknowledged; returns each user's message ids,
     * broadcasts included.
     */
    Map<String, List<String>> expected() throws InterruptedException {
        thread.join();
        Map<String, List<String>> ids = new HashMap<>();
        synchronized (sent) {
            List<String> all = broadcasts.stream().map(a -> a.join().id()).toList();
            sent.forEach((user, acks) -> ids.put(user, acks.stream().map(a -> a.join().id()).toList()));
            if (!all.isEmpty()) {
                for (String user : users) {
                    List<String> mine = new ArrayList<>(ids.getOrDefault(user, List.of()));
                    mine.addAll(all);
                    ids.put(user, mine);
                }
            }
        }
        return ids;
    }
}
