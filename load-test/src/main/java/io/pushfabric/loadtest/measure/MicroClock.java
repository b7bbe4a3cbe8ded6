package io.pushfabric.loadtest.measure;

import java.time.Instant;

/**
 * Epoch microseconds from one wall-clock reading plus {@link System#nanoTime()}: monotonic, cheap, and the
 * same clock for the publisher (which stamps a message's creation time) and the clients (which stamp its
 * receipt), since both live in this process.
 */
public final class MicroClock {
    private final long baseEpochMicros;
    private final long baseNanos;

    public MicroClock() {
        Instant now = Instant.now();
        this.baseNanos = System.nanoTime();
        this.baseEpochMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    public long nowMicros() {
        return baseEpochMicros + (System.nanoTime() - baseNanos) / 1_000;
    }

    /** The epoch microseconds of a {@link System#nanoTime()} reading. */
    public long microsAt(long nanoTime) {
        return baseEpochMicros + (nanoTime - baseNanos) / 1_000;
    }
}
