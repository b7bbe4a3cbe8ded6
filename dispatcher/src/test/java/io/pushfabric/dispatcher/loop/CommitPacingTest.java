package io.pushfabric.dispatcher.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.registry.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommitPacingTest {
    private final MutableClock clock = new MutableClock();
    private final CommitPacing pacing = new CommitPacing(clock, Duration.ofMillis(100));

    @Test
    void firstAcknowledgedBatchIsCommittedAtOnceAndLaterOnesOncePerInterval() {
        pacing.acknowledged();
        assertThat(pacing.commitNow()).isTrue();

        pacing.acknowledged();
        clock.advance(Duration.ofMillis(99));
        assertThat(pacing.commitNow()).as("within the interval").isFalse();
        pacing.acknowledged();
        clock.advance(Duration.ofMillis(1));
        assertThat(pacing.commitNow()).isTrue();
        assertThat(pacing.commitNow()).as("nothing new acknowledged").isFalse();
    }

    @Test
    void offsetsLeftWaitingWhenTheTopicGoesQuietAreCommittedOnceTheIntervalPasses() {
        pacing.acknowledged();
        pacing.commitNow();
        pacing.acknowledged();
        assertThat(pacing.commitNow()).isFalse();

        clock.advance(Duration.ofMillis(100));

        assertThat(pacing.commitNow()).as("an empty poll asks again").isTrue();
    }

    @Test
    void nothingAcknowledgedNothingCommitted() {
        clock.advance(Duration.ofSeconds(5));

        assertThat(pacing.commitNow()).isFalse();
    }
}
