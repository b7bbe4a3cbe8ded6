package io.pushfabric.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuCostTest {
    private static final Set<String> FABRIC = Set.of("kafka", "redis", "dispatcher", "connector-0");

    @Test
    void dividesTheFabricsCpuTimeByTheDeliveriesOfTheWindow() {
        // 10 s window, 100 ticks per second: kafka 6 s, redis 0.1 s, dispatcher 2 s, connector 3.9 s = 12 s of CPU
        Map<String, Long> start = Map.of("kafka", 1_000L, "redis", 50L, "dispatcher", 300L, "connector-0", 400L,
                "loadgen", 9_000L);
        Map<String, Long> end = Map.of("kafka", 1_600L, "redis", 60L, "dispatcher", 500L, "connector-0", 790L,
                "loadgen", 9_800L);

        CpuCost cost = CpuCost.of(start, end, FABRIC, 10, 100_000, 100);

        assertThat(cost.fabricCpuSeconds()).isEqualTo(12.0);
        assertThat(cost.fabricCpuPercent()).as("12 s over 10 s").isEqualTo(120.0);
        assertThat(cost.fabricMicrosPerMessage()).as("12 s / 100,000 deliveries").isEqualTo(120.0);
        assertThat(cost.processes().get("kafka").microsPerMessage()).isEqualTo(60.0);
        assertThat(cost.processes().get("redis").microsPerMessage()).isEqualTo(1.0);
        assertThat(cost.processes().get("kafka").cpuPercent()).isEqualTo(60.0);
    }

    @Test
    void listsTheLoadGeneratorButNeverCountsIt() {
        CpuCost cost = CpuCost.of(Map.of("kafka", 0L, "loadgen", 0L), Map.of("kafka", 100L, "loadgen", 500L),
                FABRIC, 1, 1_000, 100);

        assertThat(cost.fabricMicrosPerMessage()).as("kafka's 1 s over 1,000 deliveries").isEqualTo(1_000.0);
        assertThat(cost.processes().get("loadgen").fabric()).isFalse();
        assertThat(cost.processes().get("loadgen").microsPerMessage()).isEqualTo(5_000.0);
        assertThat(cost.brief("msg")).startsWith("1000.0 µs/msg fabric CPU (kafka 1000.0;").doesNotContain("loadgen");
    }

    @Test
    void leavesOutAProcessThatDiedInTheWindow() {
        CpuCost cost = CpuCost.of(Map.of("kafka", 0L, "connector-0", 0L), Map.of("kafka", 100L), FABRIC, 1, 100, 100);

        assertThat(cost.processes()).containsOnlyKeys("kafka");
        assertThat(cost.fabricCpuSeconds()).isEqualTo(1.0);
    }

    @Test
    void hasNoCostPerMessageWithoutDeliveries() {
        CpuCost idle = CpuCost.of(Map.of("kafka", 0L), Map.of("kafka", 6L), FABRIC, 60, 0, 100);

        assertThat(idle.fabricMicrosPerMessage()).isEqualTo(-1);
        assertThat(idle.fabricCpuPercent()).as("0.06 s over 60 s").isEqualTo(0.1);
        assertThat(idle.brief("msg")).startsWith("n/a µs/msg");
    }

    @Test
    void refusesAnEmptyWindow() {
        assertThatThrownBy(() -> CpuCost.of(Map.of(), Map.of(), FABRIC, 0, 1, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
    }
}
