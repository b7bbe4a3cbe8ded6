package io.pushfabric.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dispatch loop's pacing as the environment sets it. */
class DispatcherConfigTest {
    @Test
    void theLoopCyclesAtMostEvery5MsWhileRequestsFlowUnlessToldOtherwise() {
        assertThat(DispatcherConfig.fromEnv(Map.of()).minCycle()).isEqualTo(Duration.ofMillis(5));
        assertThat(DispatcherConfig.fromEnv(Map.of("PUSH_DISPATCH_MIN_CYCLE_MS", "0")).minCycle()).isZero();
        assertThat(DispatcherConfig.fromEnv(Map.of("PUSH_DISPATCH_MIN_CYCLE_MS", "20")).minCycle())
                .isEqualTo(Duration.ofMillis(20));
        assertThatThrownBy(() -> DispatcherConfig.fromEnv(Map.of("PUSH_DISPATCH_MIN_CYCLE_MS", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PUSH_DISPATCH_MIN_CYCLE_MS");
    }
}
