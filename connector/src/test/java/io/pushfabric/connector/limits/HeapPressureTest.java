package io.pushfabric.connector.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapPressureTest {
    private static final MemoryUsage EDEN_UNBOUNDED = new MemoryUsage(0, 0, 0, -1);

    @Test
    void pressureWhenAPoolStaysAboveItsShareAfterGc() {
        assertThat(new HeapPressure(90, () -> List.of(EDEN_UNBOUNDED, usage(91, 100))).getAsBoolean()).isTrue();
        assertThat(new HeapPressure(90, () -> List.of(EDEN_UNBOUNDED, usage(90, 100))).getAsBoolean()).isFalse();
    }

    @Test
    void aHundredPercentTurnsSheddingOff() {
        assertThat(new HeapPressure(100, () -> List.of(usage(100, 100))).getAsBoolean()).isFalse();
    }

    @Test
    void noGcYetIsNoPressure() {
        assertThat(new HeapPressure(50, () -> List.of(usage(0, 100))).getAsBoolean()).isFalse();
    }

    private static MemoryUsage usage(long used, long max) {
        return new MemoryUsage(0, used, max, max);
    }
}
