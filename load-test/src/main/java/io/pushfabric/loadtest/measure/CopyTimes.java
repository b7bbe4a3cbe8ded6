package io.pushfabric.loadtest.measure;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import org.HdrHistogram.Histogram;

/**
 * When the first and the last copy of each fanned-out message (a broadcast, a channel message) arrived, and how
 * many copies did: the first-to-last copy spread. Messages are numbered 0..capacity-1. Thread-safe: the clients'
 * I/O threads record copies concurrently.
 */
final class CopyTimes {
    private final AtomicIntegerArray copies;
    private final AtomicLongArray firstMicros;
    private final AtomicLongArray lastMicros;

    CopyTimes(int capacity) {
        this.copies = new AtomicIntegerArray(capacity);
        this.firstMicros = new AtomicLongArray(capacity);
        this.lastMicros = new AtomicLongArray(capacity);
        for (int k = 0; k < capacity; k++) {
            firstMicros.set(k, Long.MAX_VALUE);
        }
    }

    /** One first copy (not a duplicate) of message {@code k} arrived at {@code micros}. */
    void copy(int k, long micros) {
        copies.incrementAndGet(k);
        firstMicros.accumulateAndGet(k, micros, Math::min);
        lastMicros.accumulateAndGet(k, micros, Math::max);
    }

    /**
     * First-to-last copy spread (µs) of each of the first {@code published} messages that {@code counted} selects
     * and that reached all of its {@code expected} recipients, two or more (a message still missing a copy has no
     * last copy yet, and is counted as lost elsewhere).
     */
    Histogram spread(int published, IntPredicate counted, IntUnaryOperator expected) {
        Histogram h = new Histogram(LatencyBook.HIGHEST_MICROS, 3);
        int n = Math.min(published, copies.length());
        for (int k = 0; k < n; k++) {
            int want = expected.applyAsInt(k);
            if (counted.test(k) && want > 1 && copies.get(k) >= want) {
                h.recordValue(Math.max(0, Math.min(LatencyBook.HIGHEST_MICROS, lastMicros.get(k) - firstMicros.get(k))));
            }
        }
        return h;
    }
}
