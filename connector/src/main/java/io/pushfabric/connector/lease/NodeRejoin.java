package io.pushfabric.connector.lease;

import io.pushfabric.connector.session.LocalSessions;
import io.pushfabric.contracts.MessagePosition;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the node from fenced to joined, and back to fenced when its lease lapses. While fenced the node
 * holds no session and admits none (upgrades get 503, readiness is false). A join, in this order:
 * <ol>
 *   <li>create the node topic if it is missing (a janitor may have deleted it), and have the node's reader stand
 *       at its end: what is older was for the sessions the fence closed, and a topic created anew starts its
 *       offsets at 0 again, below where the reader was;</li>
 *   <li>acquire a new lease, so a dispatcher that re-reads the live nodes sees this one;</li>
 *   <li>append {@code node-joined} to every partition, so every dispatcher re-reads the live nodes before it
 *       routes anything appended later;</li>
 *   <li>admit sessions again, fenced on the broadcast partition after that marker: broadcasts before it
 *       may have been skipped while the node was dead, so a resume replays them from Kafka.</li>
 * </ol>
 * A failed join is retried with exponential backoff until it succeeds; a lapse during a join makes that join
 * void. {@link #run} is the heartbeat: renew the lease, fence on a lapse, retry a join that is due.
 */
public final class NodeRejoin implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRejoin.class);

    private final LocalSessions sessions;
    private final NodeHeartbeat lease;
    private final Runnable ensureTopic;
    private final Supplier<MessagePosition> announce;
    private final Executor executor;
    private final Clock clock;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Object lock = new Object();
    private volatile boolean fenced = true;
    private int generation;
    private boolean joining;
    private int failures;
    private long nextAttemptAt = Long.MIN_VALUE;

    /**
     * @param announce appends {@code node-joined} to every partition; returns its position on the broadcast
     *                 partition
     * @param executor runs join attempts (they wait for Kafka), off the heartbeat's thread
     */
    public NodeRejoin(LocalSessions sessions, NodeHeartbeat lease, Runnable ensureTopic,
                      Supplier<MessagePosition> announce, Executor executor, Clock clock, Duration firstBackoff,
                      Duration maxBackoff) {
        if (firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be 0 < first (" + firstBackoff + ") <= max (" + maxBackoff
                    + ")");
        }
        this.sessions = sessions;
        this.lease = lease;
        this.ensureTopic = ensureTopic;
        this.announce = announce;
        this.executor = executor;
        this.clock = clock;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** True until the first join, and from a lapse until the rejoin is visible to dispatchers. */
    public boolean isFenced() {
        return fenced;
    }

    /**
     * The first join, at start-up, on the caller's thread; start the heartbeat first, so the new lease is
     * renewed while the join waits for Kafka. @throws RuntimeException when it fails
     */
    public void joinNow() {
        int joinOf;
        synchronized (lock) {
            joining = true; // the heartbeat may already run: it renews, but starts no second join
            joinOf = generation;
        }
        try {
            join(joinOf);
        } finally {
            synchronized (lock) {
                joining = false;
            }
        }
    }

    /** One heartbeat. Never throws: the scheduler would stop calling it, and the node would never rejoin. */
    @Override
    public void run() {
        try {
            if (lease.renew() == NodeHeartbeat.Renewal.LAPSED) {
                fence();
            }
            tick();
        } catch (RuntimeException e) {
            LOG.error("Heartbeat failed; the next one retries", e);
        }
    }

    /** The lease lapsed: close every session (4001), admit none, and start rejoining. */
    private void fence() {
        synchronized (lock) {
            fenced = true;
            generation++;
            failures = 0;
            nextAttemptAt = Long.MIN_VALUE;
            int closed = sessions.fence();
            LOG.warn("Node fenced: {} sessions closed; rejoining", closed);
        }
    }

    /** Starts a join attempt when fenced, none is running and the backoff has passed. */
    private void tick() {
        int joinOf;
        synchronized (lock) {
            if (!fenced || joining || clock.millis() < nextAttemptAt) {
                return;
            }
            joining = true;
            joinOf = generation;
        }
        try {
            executor.execute(() -> attempt(joinOf));
        } catch (RuntimeException e) {
            synchronized (lock) {
                joining = false;
            }
            LOG.warn("Could not start a rejoin: {}", e.toString());
        }
    }

    private void attempt(int joinOf) {
        try {
            join(joinOf);
        } catch (RuntimeException e) {
            synchronized (lock) {
                failures++;
                long backoff = backoffMillis(failures);
                nextAttemptAt = clock.millis() + backoff;
                LOG.warn("Rejoin attempt {} failed ({}); next in {} ms", failures, e.toString(), backoff);
            }
        } finally {
            synchronized (lock) {
                joining = false;
            }
        }
    }

    private void join(int joinOf) {
        ensureTopic.run();
        lease.acquire();
        MessagePosition joined = announce.get();
        synchronized (lock) {
            if (joinOf != generation) {
                LOG.warn("Lease lapsed again while rejoining; starting over");
                return;
            }
            sessions.startBroadcastsAt(joined.partition(), joined.offset() + 1);
            fenced = false;
            failures = 0;
        }
        LOG.info("Node joined; broadcasts from {}-{} on", joined.partition(), joined.offset() + 1);
    }

    long backoffMillis(int failures) {
        long first = firstBackoff.toMillis();
        int doublings = Math.min(failures - 1, 30);
        return Math.min(maxBackoff.toMillis(), first << doublings);
    }
}
