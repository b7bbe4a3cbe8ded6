package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.client.ClientFleet;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that close their connection and resume on the same connector, one after the other at a steady rate, as
 * apps going through tunnels do all day. A connector that has served such reconnects has its connect and resume
 * paths compiled; one that has not compiles them during the next storm. Running a rehearsal before the kill
 * measures the first kind.
 */
final class ResumeRehearsal {
    private final ClientFleet fleet;
    private final int[] clients;
    private final int liveAtStart;
    private final AtomicLong bounced = new AtomicLong();
    private final ScheduledExecutorService timer;
    private int next;

    private ResumeRehearsal(ClientFleet fleet, int[] clients, double perSecond) {
        this.fleet = fleet;
        this.clients = clients;
        this.liveAtStart = fleet.live();
        if (perSecond <= 0 || clients.length == 0) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "lt-rehearsal"));
        timer.scheduleAtFixedRate(this::bounceNext, 0, Math.max(1, (long) (1e9 / perSecond)), TimeUnit.NANOSECONDS);
    }

    /** Starts bouncing {@code clients} (indexes into the fleet) in turn, {@code perSecond} a second; 0: none. */
    static ResumeRehearsal start(ClientFleet fleet, int[] clients, double perSecond) {
        return new ResumeRehearsal(fleet, clients, perSecond);
    }

    private void bounceNext() {
        int client = clients[next];
        next = (next + 1) % clients.length;
        if (fleet.bounce(client)) {
            bounced.incrementAndGet();
        }
    }

    /**
     * Stops bouncing and waits until as many clients are live as when it started.
     *
     * @return how many connections were closed to be resumed
     */
    long stop(Duration wait) throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            fleet.awaitLive(liveAtStart, wait, false);
        }
        return bounced.get();
    }
}
