package io.pushfabric.dispatcher.loop;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a misplaced record visible: a counter per record kind, and a WARN at most once a minute that names
 * one example and how many more there were, so a misconfigured producer at 1,000 msg/s costs one log line
 * a minute.
 */
final class WrongPartitionAlarm {
    private static final Logger LOG = LoggerFactory.getLogger(WrongPartitionAlarm.class);
    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private final DispatchMetrics metrics;
    private final OncePerInterval gate;

    WrongPartitionAlarm(DispatchMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.gate = new OncePerInterval(clock, LOG_INTERVAL);
    }

    /** A push request: it will be dead-lettered. @return the dead letter's detail */
    String request(PartitionCheck.Misplaced misplaced, long offset) {
        metrics.wrongPartitionRequests.increment();
        warn("Push request", misplaced, offset, "dead-lettered as WRONG_PARTITION, not dispatched");
        return misplaced.detail();
    }

    /** A keyed control marker: applied anyway (dropping cached routes is always safe), but its fence is void. */
    void marker(PartitionCheck.Misplaced misplaced, long offset) {
        metrics.wrongPartitionMarkers.increment();
        warn("Control marker", misplaced, offset,
                "applied, but it does not fence the user's partition; did the partition count of push-requests change?");
    }

    private void warn(String what, PartitionCheck.Misplaced m, long offset, String outcome) {
        long suppressed = gate.tryPass();
        if (suppressed >= 0) {
            LOG.warn("{} at {}-{} is in the wrong partition ({} more since the last warning): {}; {}",
                    what, m.partition(), offset, suppressed, m.detail(), outcome);
        }
    }
}
