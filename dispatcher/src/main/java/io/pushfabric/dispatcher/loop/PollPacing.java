package io.pushfabric.dispatcher.loop;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * How often the dispatch loop polls while requests flow ({@code PUSH_DISPATCH_MIN_CYCLE_MS}). Every cycle costs a
 * fetch from {@code push-requests}, a produce to the node topics and a fetch by every connector that gets
 * something, and Kafka's cost is per request, not per record. Unpaced, a loop under load cycles as fast as
 * requests arrive, a few at a time, and the fabric's CPU goes on requests instead of messages. So after a poll
 * that brought records the loop waits out the rest of the cycle before it polls again, and the next poll brings
 * what arrived meanwhile in one response. A poll that found nothing never makes the loop wait: the first request
 * after a quiet spell is read as soon as the broker has it, and a loop at rest costs what it cost before.
 * Not thread-safe.
 */
final class PollPacing {
    private final long cycleNanos;
    private final LongSupplier nanoClock;
    private final LongConsumer parkNanos;
    private boolean recordsLastPoll;
    private long lastPollAt;

    /** @param parkNanos waits about that many nanoseconds; may return early */
    PollPacing(Duration cycle, LongSupplier nanoClock, LongConsumer parkNanos) {
        if (cycle.isNegative()) {
            throw new IllegalArgumentException("the poll cycle must not be negative, was " + cycle);
        }
        this.cycleNanos = cycle.toNanos();
        this.nanoClock = nanoClock;
        this.parkNanos = parkNanos;
    }

    static PollPacing of(Duration cycle) {
        return new PollPacing(cycle, System::nanoTime, LockSupport::parkNanos);
    }

    /** A poll came back with {@code records} records. */
    void polled(int records) {
        recordsLastPoll = records > 0;
        lastPollAt = nanoClock.getAsLong();
    }

    /** Before the next poll: waits out the rest of the cycle if the last poll brought records. */
    void beforePoll() {
        if (!recordsLastPoll) {
            return;
        }
        long end = lastPollAt + cycleNanos;
        for (long left = end - nanoClock.getAsLong(); left > 0; left = end - nanoClock.getAsLong()) {
            parkNanos.accept(left);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
