package io.pushfabric.embedded;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a local process until a condition holds; the embedded fixtures have no library to wait with. */
final class Poll {
    private static final long INTERVAL_MILLIS = 100;

    private Poll() {
    }

    /**
     * Returns once {@code check} holds; a check that throws counts as not yet (a node still starting, or
     * just killed).
     *
     * @throws IllegalStateException after {@code atMost}, naming {@code what} and the last failure
     */
    static void until(String what, BooleanSupplier check, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
        throw new IllegalStateException("timed out after " + atMost + " waiting for " + what, last);
    }
}
