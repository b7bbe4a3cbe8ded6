package io.pushfabric.dispatcher.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a consumer loop waits before its next poll, on a clock the test moves (no real time passes). */
class PollPacingTest {
    private long now = 1_000_000_000L;
    private final List<Long> parks = new ArrayList<>();
    private final PollPacing pacing = new PollPacing(Duration.ofMillis(5), () -> now, nanos -> {
        parks.add(nanos);
        now += nanos;
    });

    @Test
    void afterRecordsTheLoopWaitsOutTheRestOfTheCycle() {
        pacing.polled(12);
        now += Duration.ofMillis(2).toNanos(); // handing out the records took 2 ms

        pacing.beforePoll();

        assertThat(parks).containsExactly(Duration.ofMillis(3).toNanos());
    }

    @Test
    void anEmptyPollNeverMakesTheLoopWait() {
        pacing.polled(0);

        pacing.beforePoll();

        assertThat(parks).isEmpty();
    }

    @Test
    void aLoopSlowerThanTheCycleDoesNotWait() {
        pacing.polled(500);
        now += Duration.ofMillis(7).toNanos();

        pacing.beforePoll();

        assertThat(parks).isEmpty();
    }

    @Test
    void aParkThatReturnsEarlyIsResumedUntilTheCycleIsOver() {
        List<Long> asked = new ArrayList<>();
        PollPacing early = new PollPacing(Duration.ofMillis(5), () -> now, nanos -> {
            asked.add(nanos);
            now += Math.min(nanos, Duration.ofMillis(2).toNanos()); // a spurious wake-up after at most 2 ms
        });
        early.polled(1);

        early.beforePoll();

        assertThat(asked).containsExactly(Duration.ofMillis(5).toNanos(), Duration.ofMillis(3).toNanos(),
                Duration.ofMillis(1).toNanos());
    }

    @Test
    void anInterruptedLoopStopsWaiting() {
        PollPacing interrupted = new PollPacing(Duration.ofMillis(5), () -> now, nanos -> {
            parks.add(nanos);
            Thread.currentThread().interrupt(); // stop() interrupts, or the park ended for it
        });
        interrupted.polled(1);
        try {
            interrupted.beforePoll();
        } finally {
            Thread.interrupted();
        }

        assertThat(parks).hasSize(1);
    }

    @Test
    void zeroPollsAgainAtOnce() {
        PollPacing off = new PollPacing(Duration.ZERO, () -> now, parks::add);
        off.polled(100);

        off.beforePoll();

        assertThat(parks).isEmpty();
    }
}
