package io.pushfabric.dispatcher.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.registry.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OncePerIntervalTest {
    private final MutableClock clock = new MutableClock();
    private final OncePerInterval gate = new OncePerInterval(clock, Duration.ofMinutes(1));

    @Test
    void firstPassesThenTheRestOfTheIntervalIsCounted() {
        assertThat(gate.tryPass()).isZero();
        assertThat(gate.tryPass()).isEqualTo(-1);
        clock.advance(Duration.ofSeconds(59));
        assertThat(gate.tryPass()).isEqualTo(-1);

        clock.advance(Duration.ofSeconds(1));

        assertThat(gate.tryPass()).as("suppressed since the last pass").isEqualTo(2);
        assertThat(gate.tryPass()).isEqualTo(-1);
    }

    @Test
    void rejectsIntervalUnderOneMillisecond() {
        assertThatThrownBy(() -> new OncePerInterval(clock, Duration.ZERO)).hasMessageContaining("interval");
    }
}
