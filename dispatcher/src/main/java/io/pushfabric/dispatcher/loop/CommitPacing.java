package io.pushfabric.dispatcher.loop;

import java.time.Clock;
import java.time.Duration;

/**
 * When the dispatch loop sends the offsets it has acknowledged to the group: at most once per interval while
 * batches flow, and once the interval has passed after the last batch when the topic goes quiet. An offset
 * commit is a broker request like a produce, so one per batch would add a request to every batch; committing
 * less often only widens what a partition's next owner re-sends after a crash, which sessions drop as
 * duplicates. Revokes and shutdown commit synchronously, outside this pacing. Not thread-safe.
 */
final class CommitPacing {
    private final Clock clock;
    private final long intervalMs;
    private long lastCommitAt;
    private boolean pending;

    CommitPacing(Clock clock, Duration interval) {
        this.clock = clock;
        this.intervalMs = interval.toMillis();
        this.lastCommitAt = clock.millis() - intervalMs;
    }

    /** A batch was fully acknowledged: its offsets wait to be committed. */
    void acknowledged() {
        pending = true;
    }

    /** True when acknowledged offsets wait and the interval has passed; the caller commits them now. */
    boolean commitNow() {
        long now = clock.millis();
        if (!pending || now - lastCommitAt < intervalMs) {
            return false;
        }
        pending = false;
        lastCommitAt = now;
        return true;
    }
}
