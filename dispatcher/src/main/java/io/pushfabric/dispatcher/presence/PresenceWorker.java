package io.pushfabric.dispatcher.presence;

import io.pushfabric.dispatcher.loop.AssignmentListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence pass a dispatcher runs on its own thread, apart from dispatch, every tick: the checks due on the
 * partitions its consumer owns now ({@link PresenceTracker}), and every {@code watchInterval} the lost nodes
 * ({@link PresenceNodeWatch}). A pass that fails is logged, counted and made again on the next tick. When
 * partitions are revoked, {@link #revoked} waits for the pass under way and for the events already sent, so the
 * next owner of a partition publishes its users' events after this one's.
 */
public final class PresenceWorker implements Runnable, AssignmentListener {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceWorker.class);
    /** The longest a rebalance waits for presence (a pass under way, then unacknowledged events). */
    private static final Duration HANDOFF_LIMIT = Duration.ofSeconds(5);

    private final PresenceTracker tracker;
    private final PresenceNodeWatch watch;
    private final KafkaPresenceSink sink;
    private final PresenceMetrics metrics;
    private final Clock clock;
    private final long watchIntervalMillis;
    private final ReentrantLock pass = new ReentrantLock();
    private volatile Set<Integer> owned = Set.of();
    private long nextWatch;

    public PresenceWorker(PresenceTracker tracker, PresenceNodeWatch watch, KafkaPresenceSink sink,
                          PresenceMetrics metrics, Clock clock, Duration watchInterval) {
        this.tracker = tracker;
        this.watch = watch;
        this.sink = sink;
        this.metrics = metrics;
        this.clock = clock;
        this.watchIntervalMillis = watchInterval.toMillis();
    }

    @Override
    public void run() {
        pass.lock();
        try {
            metrics.checks.increment(tracker.checkDue(owned));
            long now = clock.millis();
            if (now >= nextWatch) {
                watch.run();
                nextWatch = now + watchIntervalMillis;
            }
        } catch (RuntimeException e) {
            metrics.failures.increment();
            LOG.warn("Presence pass failed; the next one retries: {}", e.toString());
        } finally {
            pass.unlock();
        }
    }

    @Override
    public void assigned(Collection<Integer> partitions) {
        Set<Integer> now = new HashSet<>(owned);
        now.addAll(partitions);
        owned = Set.copyOf(now);
    }

    @Override
    public void revoked(Collection<Integer> partitions) {
        boolean locked = false;
        try {
            locked = pass.tryLock(HANDOFF_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Set<Integer> now = new HashSet<>(owned);
            now.removeAll(partitions);
            owned = Set.copyOf(now);
            if (!locked || !sink.awaitSent(HANDOFF_LIMIT)) {
                LOG.warn("Presence events of partitions {} may still be in flight as they move; consumers order a "
                        + "user's events by version", partitions);
            }
        } finally {
            if (locked) {
                pass.unlock();
            }
        }
    }
}
