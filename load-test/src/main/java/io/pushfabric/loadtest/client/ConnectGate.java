package io.pushfabric.loadtest.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ramp of first connects: at most {@code limit} handshakes in flight, the rest queued. A client holds a
 * slot from its first attempt until it is welcomed or that attempt fails; each slot is freed exactly once.
 */
final class ConnectGate {
    private final Queue<VirtualClient> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean pumping = new AtomicBoolean();
    private volatile int limit = 1;
    private volatile boolean closed;

    /** Queues first connects and starts as many as the limit allows. */
    void admit(Iterable<VirtualClient> clients, int maxInFlight) {
        this.limit = Math.max(1, maxInFlight);
        clients.forEach(waiting::add);
        pump();
    }

    /** The client's first attempt ended (welcomed or failed): its slot, if it held one, goes to the next. */
    void release(VirtualClient client) {
        if (client.releaseSlot()) {
            inFlight.decrementAndGet();
            pump();
        }
    }

    /** No first connect is queued or in flight. */
    boolean idle() {
        return waiting.isEmpty() && inFlight.get() == 0;
    }

    int inFlight() {
        return inFlight.get();
    }

    void close() {
        closed = true;
        waiting.clear();
    }

    /**
     * Starts queued connects while slots are free. One thread pumps at a time, so a connect that fails at once
     * (and releases its slot from inside this loop) does not recurse.
     */
    private void pump() {
        do {
            if (!pumping.compareAndSet(false, true)) {
                return;
            }
            try {
                while (!closed && inFlight.get() < limit) {
                    VirtualClient next = waiting.poll();
                    if (next == null) {
                        break;
                    }
                    inFlight.incrementAndGet();
                    next.takeSlot();
                    if (!next.connect() && next.releaseSlot()) {
                        inFlight.decrementAndGet();
                    }
                }
            } finally {
                pumping.set(false);
            }
        } while (!closed && !waiting.isEmpty() && inFlight.get() < limit);
    }
}
