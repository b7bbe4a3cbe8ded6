package io.pushfabric.e2e;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.publish.PushPublisher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of targeted messages at a fixed rate, remembering what each user must receive. Runs on
 * its own thread so the test can break things while it flows.
 */
final class Stream {
    private final PushPublisher publisher;
    private final List<String> users;
    private final int messages;
    private final int perSecond;
    private final Map<String, List<CompletableFuture<MessagePosition>>> sent = new HashMap<>();
    private final Thread thread;
    private volatile int published;

    Stream(PushPublisher publisher, List<String> users, int messages, int perSecond) {
        this.publisher = publisher;
        this.users = users;
        this.messages = messages;
        this.perSecond = perSecond;
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
        for (int i = 0; i < messages; i++) {
            long due = start + (long) i * 1_000_000_000L / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String user = users.get(random.nextInt(users.size()));
            CompletableFuture<MessagePosition> ack = publisher.publish(PushRequest.toUser(UserId.of(user),
                    Json.MAPPER.createObjectNode().put("seq", i)));
            synchronized (sent) {
                sent.computeIfAbsent(user, k -> new ArrayList<>()).add(ack);
            }
            published = i + 1;
        }
    }

    /** Waits for the stream to end and every publish to be acknowledged; returns each user's message ids. */
    Map<String, List<String>> expected() throws InterruptedException {
        thread.join();
        Map<String, List<String>> ids = new HashMap<>();
        synchronized (sent) {
            sent.forEach((user, acks) -> ids.put(user, acks.stream().map(a -> a.join().id()).toList()));
        }
        return ids;
    }
}
